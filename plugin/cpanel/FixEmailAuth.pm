package Cpanel::API::FixEmailAuth;

# Custom UAPI module `FixEmailAuth` (docs/reference/cpanel-plugins.md §5), installed as
# /usr/local/cpanel/Cpanel/API/FixEmailAuth.pm. It runs as the cPanel user and holds no logic: every
# function hands one request to the root adminbin `FixEmailAuth` (plugin/adminbin/), which adds the
# user's identity from the caller's UID and relays to the fix-email-auth daemon
# (docs/daemon-protocol.md).
#
#   uapi --user=alice FixEmailAuth list_domains
#   uapi --user=alice FixEmailAuth diagnose domain=example.com
#   uapi --user=alice FixEmailAuth fix domain=example.com
#   uapi --user=alice FixEmailAuth job_status id=7
#   uapi --user=alice FixEmailAuth rollback id=3
#   uapi --user=alice FixEmailAuth history
#   relay: used by the Jupiter page (index.live.pl) to fetch the daemon's pages.
#
# Hiding the icon does not stop an API call, so every function needs the feature (§4, §5).

use strict;
use warnings;

use Cpanel::Wrap ();
use JSON::PP     ();

our $VERSION = '0.1.0';

my $FEATURE = 'fix_email_auth';

our %API = (
    _needs_feature => $FEATURE,
    map { $_ => { needs_feature => $FEATURE } } qw( relay list_domains diagnose fix job_status rollback history ),
);

my $MAX_ROUTE = 2048;
my $MAX_FORM  = 60 * 1024;    # the adminbin refuses more than 64 KB in all

# ------------------------------------------------------------------ JSON functions

sub list_domains {
    my ( $args, $result ) = @_;
    return _api( $result, 'GET', '/api/domains' );
}

sub diagnose {
    my ( $args, $result ) = @_;
    my $domain = _domain_arg( $args, $result ) // return 0;
    return _api( $result, 'GET', "/api/domains/$domain" );
}

sub fix {
    my ( $args, $result ) = @_;
    my $domain = _domain_arg( $args, $result ) // return 0;
    return _api( $result, 'POST', "/api/domains/$domain/fix" );
}

sub job_status {
    my ( $args, $result ) = @_;
    my $id = _id_arg( $args, $result ) // return 0;
    return _api( $result, 'GET', "/api/jobs/$id" );
}

sub rollback {
    my ( $args, $result ) = @_;
    my $id = _id_arg( $args, $result ) // return 0;
    return _api( $result, 'POST', "/api/changes/$id/rollback" );
}

sub history {
    my ( $args, $result ) = @_;
    return _api( $result, 'GET', '/api/history' );
}

# ------------------------------------------------------------------ page relay

# relay(method, route, form, mount, accept) → data {status, contentType, body, bodyEncoding?, location?}
# `form` is a JSON object of strings (or lists of strings). The daemon's own refusals (403, 404…) are
# data for the page to show; only a bridge failure is an error.
sub relay {
    my ( $args, $result ) = @_;
    my $method = uc( $args->get('method') // 'GET' );
    if ( $method ne 'GET' && $method ne 'POST' ) {
        $result->raw_error('The method must be GET or POST.');
        return 0;
    }
    my $route = _route_arg( $args->get('route') // '/', $result ) // return 0;
    my $form  = {};
    my $json  = $args->get('form');
    if ( defined $json && length $json ) {
        if ( length $json > $MAX_FORM ) {
            $result->raw_error('The form is too large.');
            return 0;
        }
        $form = eval { JSON::PP->new->decode($json) };
        if ( ref $form ne 'HASH' ) {
            $result->raw_error('The form must be a JSON object.');
            return 0;
        }
    }
    my %payload = ( method => $method, route => $route, form => $form );
    my $mount   = $args->get('mount');
    $payload{mount}  = $mount if defined $mount && length $mount;
    $payload{accept} = 'json' if ( $args->get('accept') // '' ) eq 'json';
    my $answer = _adminbin( $result, 'RELAY', \%payload ) // return 0;
    $result->data($answer);
    return 1;
}

# ------------------------------------------------------------------ helpers

sub _api {
    my ( $result, $method, $route ) = @_;
    my $answer = _adminbin( $result, 'API', { method => $method, route => $route } ) // return 0;
    my $status = $answer->{status} // 0;
    my $body   = $answer->{body};
    if ( $status < 200 || $status > 299 ) {
        my $error = ref $body eq 'HASH' ? $body->{error} : undef;
        my $text  = ref $error eq 'HASH' ? $error->{message} : $error;
        $result->raw_error( defined $text && !ref $text ? $text : "The fix-email-auth service answered HTTP $status." );
        return 0;
    }
    $result->data($body);
    return 1;
}

# The legacy AdminBin "Wrap" method (docs/reference/cpanel-plugins.md §6.2, "Call your application" guide): our
# adminbin is a Node executable in /usr/local/cpanel/bin/admin/FixEmailAuth/, not a Perl admin module.
# Cpanel::AdminBin::Call::call() is the client of *admin modules* (§6.1) and speaks their own
# "format-within-a-format" (Cpanel::AdminBin::Script::Call), which a non-Perl adminbin does not.
# send_cpwrapd_request() sends `function` as the ACTION and `data` as the JSON payload; cpwrapd adds
# the caller's UID and returns our `.\n{...}` answer as `data`.
sub _adminbin {
    my ( $result, $action, $payload ) = @_;
    my $response = Cpanel::Wrap::send_cpwrapd_request(
        namespace => 'FixEmailAuth',
        module    => 'FixEmailAuth',
        function  => $action,
        data      => $payload,
    );
    if ( ref $response ne 'HASH' || !$response->{status} ) {
        my $why = ref $response eq 'HASH' ? ( $response->{statusmsg} // $response->{data} // 'no answer' ) : 'no answer';
        $result->raw_error("The fix-email-auth service could not be reached: $why");
        return undef;
    }
    my $answer = $response->{data};
    if ( defined $answer && !ref $answer ) {
        $answer =~ s/\A\.\n//;
        $answer = eval { JSON::PP->new->decode($answer) };
    }
    if ( ref $answer ne 'HASH' ) {
        $result->raw_error('The fix-email-auth service gave an answer that could not be read.');
        return undef;
    }
    if ( ref $answer->{error} eq 'HASH' ) {
        $result->raw_error( $answer->{error}{message} // 'The fix-email-auth service refused the request.' );
        return undef;
    }
    return $answer;
}

# A domain name as DNS allows it (RFC 1035 lengths; "_" for service labels), lower-cased.
sub _domain_arg {
    my ( $args, $result ) = @_;
    my $domain = lc( $args->get('domain') // '' );
    $domain =~ s/\.\z//;
    if ( length $domain > 253 || $domain !~ m/\A(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\z/ ) {
        $result->raw_error('Give a valid domain name, e.g. domain=example.com.');
        return undef;
    }
    return $domain;
}

sub _id_arg {
    my ( $args, $result ) = @_;
    my $id = $args->get('id') // '';
    if ( $id !~ m/\A[A-Za-z0-9_-]{1,64}\z/ ) {
        $result->raw_error('Give a valid id, e.g. id=7.');
        return undef;
    }
    return $id;
}

# A daemon route: a path that starts with one "/", no scheme or host, no spaces or control
# characters. The adminbin checks it again against the list of user routes.
sub _route_arg {
    my ( $route, $result ) = @_;
    if ( length $route > $MAX_ROUTE || $route !~ m{\A/(?!/)} || $route =~ m{[\\\s\x00-\x1f\x7f#]} ) {
        $result->raw_error('The route must be a path that starts with “/”.');
        return undef;
    }
    return $route;
}

1;
