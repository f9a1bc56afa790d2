#!/usr/local/cpanel/3rdparty/bin/perl

# WHM » Plugins » Fix Email Authorization: the WHM side's only bridge (docs/reference/cpanel-plugins.md §7),
# installed as /usr/local/cpanel/whostmgr/docroot/cgi/fix_email_auth/index.cgi (root, 0755) and
# registered by plugin/whm/fix_email_auth.conf (AppConfig, acls=all).
#
# WHM runs plugins as root, so this CGI checks the `all` ACL itself (§7.3) before anything else,
# then relays the request (method, `route` query parameter, POST body) to the daemon's Unix socket
# with role `admin` and the logged-in WHM user (docs/daemon-protocol.md), and prints the answer.
# The daemon's pages are complete documents, printed as they are.

use strict;
use warnings;

use lib '/usr/local/cpanel';

use IO::Socket::UNIX ();
use JSON::PP         ();
use Whostmgr::ACLS   ();

my $MOUNT          = 'index.cgi?route={route}';
my $DEFAULT_SOCKET = '/run/fix-email-auth/daemon.sock';
my $DEFAULT_CONFIG = '/etc/fix-email-auth/config.json';
my $MAX_ROUTE      = 2048;
my $MAX_POST       = 1024 * 1024;
my $MAX_ANSWER     = 32 * 1024 * 1024;    # CSV exports of a whole server
my $TIMEOUT        = 60;                  # long work runs as daemon jobs; pages answer quickly

run() if !caller;

sub run {
    Whostmgr::ACLS::init_acls();
    if ( !Whostmgr::ACLS::checkacl('all') ) {
        return reply( 403, 'text/plain; charset=utf-8', "Access Denied.\n" );
    }
    # WHM user names (root, resellers) as the daemon accepts them: lower-case, a letter first.
    my $user = $ENV{REMOTE_USER} // '';
    if ( $user !~ m/\A[a-z][a-z0-9_-]{0,31}\z/ ) {
        return reply( 403, 'text/plain; charset=utf-8', "Access Denied: no WHM user.\n" );
    }

    my $query = parse_urlencoded( $ENV{QUERY_STRING} // '' );
    my $route = $query->{route} // '/';
    $route = $route->[0] if ref $route;
    delete $query->{route};
    if ( length $route > $MAX_ROUTE || $route !~ m{\A/(?!/)} || $route =~ m{[\\\s\x00-\x1f\x7f#]} ) {
        return reply( 400, 'text/plain; charset=utf-8', "That address is not a page of Fix Email Authorization.\n" );
    }

    # The request line carries bytes; anything outside printable ASCII travels percent-encoded.
    $route =~ s/([^\x21-\x7e])/sprintf '%%%02X', ord $1/ge;

    my $method = ( $ENV{REQUEST_METHOD} // 'GET' ) eq 'POST' ? 'POST' : 'GET';
    my %headers = (
        'X-Fix-Email-Auth-User'  => $user,
        'X-Fix-Email-Auth-Role'  => 'admin',
        'X-Fix-Email-Auth-Mount' => $MOUNT,
        'Accept'                 => ( ( $ENV{HTTP_ACCEPT} // '' ) =~ m{application/json}i && ( $ENV{HTTP_ACCEPT} // '' ) !~ m{text/html}i ) ? 'application/json' : 'text/html',
    );
    my $body;
    if ( $method eq 'POST' ) {
        my $length = $ENV{CONTENT_LENGTH} // 0;
        if ( $length !~ m/\A[0-9]+\z/ || $length > $MAX_POST || ( $length && ( $ENV{CONTENT_TYPE} // '' ) !~ m{\Aapplication/x-www-form-urlencoded}i ) ) {
            return reply( 413, 'text/plain; charset=utf-8', "The form is too large or not a plain form.\n" );
        }
        $body = read_stdin($length);
        $headers{'Content-Type'} = 'application/x-www-form-urlencoded';
    }
    else {
        # GET forms drop the action's query string: their fields arrive beside `route`.
        my $extra = join '&', map { my $name = $_; map { uri_escape($name) . '=' . uri_escape($_) } ref $query->{$name} ? @{ $query->{$name} } : $query->{$name} } sort keys %$query;
        $route .= ( $route =~ m/\?/ ? '&' : '?' ) . $extra if length $extra;
    }

    my $answer = eval { ask_daemon( socket_path(), $method, $route, \%headers, $body ) };
    if ( !$answer ) {
        my $why = $@ || 'no answer';
        $why =~ s/\s+\z//;
        return reply( 503, 'text/html; charset=utf-8', page( 'The fix-email-auth service is not available', "<p>The daemon did not answer: " . escape_html($why) . '.</p><p>Check it with <code>systemctl status fix-email-auth</code>.</p>' ) );
    }
    # The daemon's protective headers go on to the browser with its page: its Content-Security-Policy,
    # nosniff, framing, no-store, and the Content-Disposition of CSV/JSON downloads.
    my %out = map { ( $_ => $answer->{headers}{ lc $_ } ) } ( 'Content-Security-Policy', 'X-Content-Type-Options', 'X-Frame-Options', 'Cache-Control', 'Referrer-Policy', 'Content-Disposition' );
    if ( $answer->{status} >= 300 && $answer->{status} < 400 && defined $answer->{headers}{location} ) {
        $out{Location} = mounted_location( $answer->{headers}{location} );
    }
    return reply( $answer->{status}, $answer->{headers}{'content-type'} // 'text/html; charset=utf-8', $answer->{body}, \%out );
}

# ------------------------------------------------------------------ daemon

# Same lookup as the daemon (src/config.ts): FIX_EMAIL_AUTH_SOCKET, the config's paths.socket, the default.
sub socket_path {
    return $ENV{FIX_EMAIL_AUTH_SOCKET} if $ENV{FIX_EMAIL_AUTH_SOCKET};
    my $file = $ENV{FIX_EMAIL_AUTH_CONFIG} || $DEFAULT_CONFIG;
    if ( open my $fh, '<', $file ) {
        my $config = eval { JSON::PP->new->decode( do { local $/; <$fh> } ) };
        my $socket = ref $config eq 'HASH' && ref $config->{paths} eq 'HASH' ? $config->{paths}{socket} : undef;
        return $socket if defined $socket && !ref $socket && $socket =~ m{\A/};
    }
    return $DEFAULT_SOCKET;
}

# HTTP/1.0 over the Unix socket, by hand (core Perl only): one request, read to EOF, bounded in time
# and size. HTTP/1.0 keeps the answer un-chunked; chunked is decoded anyway, to be safe.
sub ask_daemon {
    my ( $socket_path, $method, $route, $headers, $body ) = @_;
    local $SIG{ALRM} = sub { die "timed out after ${TIMEOUT}s\n" };
    alarm $TIMEOUT;
    my $answer = eval {
        my $socket = IO::Socket::UNIX->new( Peer => $socket_path, Type => IO::Socket::UNIX::SOCK_STREAM() ) or die "cannot connect to $socket_path: $!\n";
        binmode $socket;
        $body //= '';
        my $request = "$method $route HTTP/1.0\r\nHost: fix-email-auth\r\nConnection: close\r\n";
        $request .= "$_: $headers->{$_}\r\n" for sort keys %$headers;
        $request .= 'Content-Length: ' . length($body) . "\r\n" if $method eq 'POST';
        print {$socket} $request, "\r\n", $body;
        my $raw = '';
        while ( my $read = sysread( $socket, $raw, 65536, length $raw ) ) {
            die "answer larger than $MAX_ANSWER bytes\n" if length $raw > $MAX_ANSWER;
        }
        close $socket;
        parse_http($raw);
    };
    my $err = $@;
    alarm 0;
    die $err if !$answer;
    return $answer;
}

sub parse_http {
    my ($raw) = @_;
    my $split = index( $raw, "\r\n\r\n" );
    die "the daemon's answer is not HTTP\n" if $split < 0;
    my ( $status_line, @lines ) = split /\r\n/, substr( $raw, 0, $split );
    die "the daemon's answer is not HTTP\n" if $status_line !~ m{\AHTTP/1\.[01] ([0-9]{3})};
    my $status = $1;
    my %headers;
    for my $line (@lines) {
        my ( $name, $value ) = split /:\s*/, $line, 2;
        $headers{ lc $name } = $value if defined $value;
    }
    my $body = substr( $raw, $split + 4 );
    $body = dechunk($body) if ( $headers{'transfer-encoding'} // '' ) =~ m/chunked/i;
    return { status => $status, headers => \%headers, body => $body };
}

sub dechunk {
    my ($chunked) = @_;
    my $body = '';
    while ( $chunked =~ s/\A([0-9A-Fa-f]+)[^\r\n]*\r\n// ) {
        my $size = hex $1;
        last if !$size;
        $body .= substr( $chunked, 0, $size, '' );
        $chunked =~ s/\A\r\n//;
    }
    return $body;
}

# ------------------------------------------------------------------ output

sub reply {
    my ( $status, $type, $body, $extra ) = @_;
    binmode STDOUT;
    print "Status: $status\r\n" if $status != 200;
    print "Content-type: $type\r\n";
    for my $name ( sort keys %{ $extra || {} } ) {
        my $value = $extra->{$name};
        print "$name: $value\r\n" if defined $value && $value !~ m/[\r\n]/;
    }
    print "\r\n", $body // '';
    return;
}

sub page {
    my ( $title, $content ) = @_;
    my $escaped = escape_html($title);
    return qq{<!doctype html><html><head><meta charset="utf-8"><title>$escaped</title></head><body><h1>$escaped</h1>$content</body></html>\n};
}

# A redirect to a daemon route comes back through this CGI; anything else becomes the overview.
sub mounted_location {
    my ($location) = @_;
    $location = '/' if $location =~ m{\A(?:[A-Za-z][A-Za-z0-9+.-]*:|//)|[\\\s\x00-\x1f\x7f]};
    return $location if $location !~ m{\A/};
    ( my $mounted = $MOUNT ) =~ s/\{route\}/uri_escape($location)/e;
    return $mounted;
}

# ------------------------------------------------------------------ input

sub read_stdin {
    my ($length) = @_;
    my $body = '';
    binmode STDIN;
    while ( length $body < $length ) {
        my $read = read( STDIN, $body, $length - length $body, length $body );
        last if !$read;
    }
    return $body;
}

sub parse_urlencoded {
    my ($text) = @_;
    my %fields;
    for my $pair ( split /[&;]/, $text ) {
        next if $pair eq '';
        my ( $name, $value ) = map { uri_unescape( $_ // '' ) } split /=/, $pair, 2;
        $fields{$name} = exists $fields{$name} ? [ ref $fields{$name} ? @{ $fields{$name} } : $fields{$name}, $value ] : $value;
    }
    return \%fields;
}

# Bytes in, bytes out: the daemon decodes UTF-8 itself.
sub uri_unescape {
    my ($text) = @_;
    $text =~ tr/+/ /;
    $text =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
    return $text;
}

sub uri_escape {
    my ($text) = @_;
    $text =~ s/([^A-Za-z0-9_.~-])/sprintf '%%%02X', ord $1/ge;
    return $text;
}

sub escape_html {
    my ($text) = @_;
    $text =~ s/&/&amp;/g;
    $text =~ s/</&lt;/g;
    $text =~ s/>/&gt;/g;
    $text =~ s/"/&quot;/g;
    return $text;
}

1;
