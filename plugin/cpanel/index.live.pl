#!/usr/local/cpanel/3rdparty/bin/perl

# Jupiter page "Fix Email Authorization" (cPanel » Email), a LiveAPI Perl page
# (docs/reference/cpanel-plugins.md §2.1–2.2), installed as
# /usr/local/cpanel/base/frontend/jupiter/fix_email_auth/index.live.pl.
#
# It runs as the logged-in cPanel user and only relays: method, route (`route` query parameter) and
# form go to the daemon through UAPI FixEmailAuth::relay → adminbin → daemon socket. HTML comes back
# inside Jupiter's header and footer; anything else (the job page's JSON polling, CSS) passes through
# with its own content type. Links in the daemon's pages come back here because we send the mount
# template `index.live.pl?route={route}` (docs/daemon-protocol.md).

use strict;
use warnings;

use Cpanel::LiveAPI ();
use JSON::PP        ();
use MIME::Base64    ();

my $FEATURE   = 'fix_email_auth';
my $TITLE     = 'Fix Email Authorization';
my $MOUNT     = 'index.live.pl?route={route}';
my $MAX_ROUTE = 2048;
my $MAX_POST  = 60 * 1024;

run() if !caller;

sub run {
    my $cpanel = Cpanel::LiveAPI->new() or die "Cannot reach cPanel's LiveAPI socket\n";

    # The icon can be hidden, but the page is still reachable by URL: enforce the feature (§4).
    if ( !$cpanel->cpanelfeature($FEATURE) ) {
        print_page( $cpanel, 403, '<div class="alert alert-warning">Fix Email Authorization is not enabled for your account. Ask your hosting provider to enable the “fix_email_auth” feature.</div>' );
        return $cpanel->end();
    }

    my $query = parse_urlencoded( $ENV{QUERY_STRING} // '' );
    my $route = first( delete $query->{route} ) // '/';
    if ( !valid_route($route) ) {
        print_page( $cpanel, 400, '<div class="alert alert-danger">That address is not a page of Fix Email Authorization.</div>' );
        return $cpanel->end();
    }

    my $method = ( $ENV{REQUEST_METHOD} // 'GET' ) eq 'POST' ? 'POST' : 'GET';
    my $form;
    if ( $method eq 'POST' ) {
        $form = read_post_form();
        if ( !defined $form ) {
            print_page( $cpanel, 413, '<div class="alert alert-danger">The form is too large or not a plain form.</div>' );
            return $cpanel->end();
        }
    }
    else {
        # GET forms drop the action's query string, so their fields arrive beside `route`.
        $form = $query;
    }

    my %args = (
        method => $method,
        route  => $route,
        form   => JSON::PP->new->canonical->encode($form),
        mount  => $MOUNT,
    );
    $args{accept} = 'json' if wants_json();

    my $response = $cpanel->uapi( 'FixEmailAuth', 'relay', \%args );
    my $result   = ref $response eq 'HASH' ? $response->{cpanelresult}{result} : undef;
    if ( ref $result ne 'HASH' || !$result->{status} ) {
        my @errors = ref $result eq 'HASH' && ref $result->{errors} eq 'ARRAY' ? @{ $result->{errors} } : ('No answer from the service.');
        print_page( $cpanel, 502, '<div class="alert alert-danger">' . join( '<br>', map { escape_html($_) } @errors ) . '</div>' );
        return $cpanel->end();
    }
    print_answer( $cpanel, $result->{data} );
    return $cpanel->end();
}

# ------------------------------------------------------------------ output

# The daemon's protective headers (relayed by the adminbin). Around Jupiter's chrome only the framing
# part of its Content-Security-Policy is sent: the daemon's full policy would block Jupiter's own
# scripts and styles. Answers printed as they are (CSS, JSON, CSV) keep the whole policy.
sub relayed_headers {
    my ( $answer, $in_chrome ) = @_;
    my @relayed = ( 'Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Cache-Control', 'Referrer-Policy', 'Content-Disposition' );
    my $given = ref $answer->{headers} eq 'HASH' ? $answer->{headers} : {};
    my %out   = (
        'X-Content-Type-Options' => 'nosniff',
        'X-Frame-Options'        => 'SAMEORIGIN',
        'Cache-Control'          => 'no-store',
    );
    for my $name (@relayed) {
        my $value = $given->{ lc $name };
        $out{$name} = $value if defined $value && !ref $value && $value !~ m/[\x00-\x08\x0a-\x1f\x7f]/;
    }
    if ($in_chrome) {
        $out{'Content-Security-Policy'} = "frame-ancestors 'self'";
        delete $out{'Content-Disposition'};
    }
    return join '', map { "$_: $out{$_}\r\n" } sort keys %out;
}

sub print_answer {
    my ( $cpanel, $answer ) = @_;
    my $status = $answer->{status} // 200;
    my $type   = $answer->{contentType} // 'text/html; charset=utf-8';
    if ( defined $answer->{location} ) {
        my $location = mounted_location( $answer->{location} );
        binmode STDOUT, ':encoding(UTF-8)';
        print "Status: 303 See Other\r\nLocation: $location\r\nContent-type: text/html; charset=utf-8\r\n\r\n";
        print '<a href="' . escape_html($location) . '">Continue</a>';
        return;
    }
    if ( $type !~ m{\Atext/html}i ) {
        my $headers = relayed_headers( $answer, 0 );
        if ( ( $answer->{bodyEncoding} // '' ) eq 'base64' ) {
            binmode STDOUT;
            print status_line($status), "Content-type: $type\r\n", $headers, "\r\n", MIME::Base64::decode_base64( $answer->{body} // '' );
        }
        else {
            binmode STDOUT, ':encoding(UTF-8)';
            print status_line($status), "Content-type: $type\r\n", $headers, "\r\n", $answer->{body} // '';
        }
        return;
    }
    print_page( $cpanel, $status, html_fragment( $answer->{body} // '' ), $answer );
    return;
}

# Jupiter's chrome around our content (LiveAPI header()/footer(), §2.1).
sub print_page {
    my ( $cpanel, $status, $content, $answer ) = @_;
    binmode STDOUT, ':encoding(UTF-8)';
    print status_line($status), "Content-type: text/html; charset=utf-8\r\n", relayed_headers( $answer // {}, 1 ), "\r\n";
    print $cpanel->header( $TITLE, $FEATURE );
    print $content;
    print $cpanel->footer();
    return;
}

sub status_line {
    my ($status) = @_;
    return $status == 200 ? '' : "Status: $status\r\n";
}

# The daemon may send a whole document; inside Jupiter only its styles, scripts and body belong.
sub html_fragment {
    my ($html) = @_;
    return $html if $html !~ m{<body\b[^>]*>(.*)</body>}is;
    my $body = $1;
    my $head = $html =~ m{<head\b[^>]*>(.*?)</head>}is ? $1 : '';
    my @assets = $head =~ m{(<link\b[^>]*rel=["']?stylesheet[^>]*>|<style\b[^>]*>.*?</style>|<script\b[^>]*>.*?</script>)}gis;
    return join( "\n", @assets, $body );
}

# A redirect to a daemon route comes back through this page; a mounted link is already ours.
# Anything else (another host, a scheme, a header break) is replaced by the overview.
sub mounted_location {
    my ($location) = @_;
    $location = '/' if $location =~ m{\A(?:[A-Za-z][A-Za-z0-9+.-]*:|//)|[\\\s\x00-\x1f\x7f]};
    return $location if $location !~ m{\A/};
    ( my $mounted = $MOUNT ) =~ s/\{route\}/uri_escape($location)/e;
    return $mounted;
}

# ------------------------------------------------------------------ input

sub valid_route {
    my ($route) = @_;
    return length $route <= $MAX_ROUTE && $route =~ m{\A/(?!/)} && $route !~ m{[\\\s\x00-\x1f\x7f#]};
}

sub wants_json {
    my $accept = $ENV{HTTP_ACCEPT} // '';
    return $accept =~ m{application/json}i && $accept !~ m{text/html}i;
}

sub read_post_form {
    my $type   = $ENV{CONTENT_TYPE}   // '';
    my $length = $ENV{CONTENT_LENGTH} // 0;
    return {} if !$length;
    return undef if $length !~ m/\A[0-9]+\z/ || $length > $MAX_POST;
    return undef if $type !~ m{\Aapplication/x-www-form-urlencoded}i;
    my $body = '';
    binmode STDIN;
    while ( length $body < $length ) {
        my $read = read( STDIN, $body, $length - length $body, length $body );
        last if !$read;
    }
    return parse_urlencoded($body);
}

# application/x-www-form-urlencoded → { name => value | [values…] } (no CGI.pm: not core since 5.22).
sub parse_urlencoded {
    my ($text) = @_;
    my %fields;
    for my $pair ( split /[&;]/, $text ) {
        next if $pair eq '';
        my ( $name, $value ) = map { uri_unescape( $_ // '' ) } split /=/, $pair, 2;
        if ( exists $fields{$name} ) {
            $fields{$name} = [ ref $fields{$name} ? @{ $fields{$name} } : $fields{$name}, $value ];
        }
        else {
            $fields{$name} = $value;
        }
    }
    return \%fields;
}

sub first {
    my ($value) = @_;
    return ref $value eq 'ARRAY' ? $value->[0] : $value;
}

sub uri_unescape {
    my ($text) = @_;
    $text =~ tr/+/ /;
    $text =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    utf8::decode($text);
    return $text;
}

sub uri_escape {
    my ($text) = @_;
    utf8::encode($text);
    $text =~ s/([^A-Za-z0-9_.~-])/sprintf '%%%02X', ord $1/ge;
    return $text;
}

sub escape_html {
    my ($text) = @_;
    $text =~ s/&/&amp;/g;
    $text =~ s/</&lt;/g;
    $text =~ s/>/&gt;/g;
    $text =~ s/"/&quot;/g;
    $text =~ s/'/&#39;/g;
    return $text;
}

1;
