#!/usr/bin/perl
# Cpanel::API::FixEmailAuth with a recording stand-in for cpwrapd: what each UAPI function sends to
# the adminbin, what it returns as data, and what it refuses before asking anything.

use strict;
use warnings;

use Test::More;

use Cpanel::Args             ();
use Cpanel::Result           ();
use Cpanel::Wrap             ();
use Cpanel::API::FixEmailAuth ();

my @sent;
my $reply;
$Cpanel::Wrap::HANDLER = sub { my %opts = @_; push @sent, \%opts; return $reply };

sub call {
    my ( $function, $args, $answer ) = @_;
    @sent  = ();
    $reply = { status => 1, error => 0, data => $answer };
    my $result = Cpanel::Result->new();
    no strict 'refs';
    my $ok = &{"Cpanel::API::FixEmailAuth::$function"}( Cpanel::Args->new($args), $result );
    return ( $ok, $result );
}

subtest 'when every function is listed in %API, then each one needs the fix_email_auth feature' => sub {
    my %api = %Cpanel::API::FixEmailAuth::API;
    is( $api{_needs_feature}, 'fix_email_auth', 'module-wide gate' );
    for my $function (qw( relay list_domains diagnose fix job_status rollback history )) {
        ok( Cpanel::API::FixEmailAuth->can($function), "$function exists" );
        is( $api{$function}{needs_feature}, 'fix_email_auth', "$function needs the feature" );
    }
};

subtest 'when the page relays a POST, then the adminbin gets RELAY with method, route, form and mount, and the answer is the data' => sub {
    my $answer = { status => 303, contentType => 'text/plain', body => 'See other', location => 'index.live.pl?route=%2Fjobs%2F7' };
    my ( $ok, $result ) = call( 'relay', { method => 'post', route => '/domains/example.com/fix', form => '{"confirm":"1","domain[]":["a","b"]}', mount => 'index.live.pl?route={route}' }, $answer );
    is( $ok, 1, 'success' );
    is( scalar @sent, 1, 'one cpwrapd request' );
    is_deeply(
        $sent[0],
        {
            namespace => 'FixEmailAuth', module => 'FixEmailAuth', function => 'RELAY',
            data      => { method => 'POST', route => '/domains/example.com/fix', form => { confirm => '1', 'domain[]' => [ 'a', 'b' ] }, mount => 'index.live.pl?route={route}' },
        },
        'the request'
    );
    is_deeply( $result->data, $answer, 'the answer is the data' );
    is( $result->errors, undef, 'no errors' );
};

subtest 'when the daemon refuses a page with 403, then the refusal is still data for the page to show' => sub {
    my ( $ok, $result ) = call( 'relay', { route => '/domains/bob.example' }, { status => 403, contentType => 'text/html', body => '<p>not yours</p>' } );
    is( $ok, 1 );
    is( $result->data->{status}, 403 );
    is( $sent[0]{data}{method}, 'GET', 'GET by default' );
};

subtest 'when the page asks for JSON, then accept=json travels to the adminbin' => sub {
    call( 'relay', { route => '/api/jobs/7', accept => 'json' }, { status => 200, contentType => 'application/json', body => '{}' } );
    is( $sent[0]{data}{accept}, 'json' );
};

subtest 'when the relay input is bad, then it is refused without asking the adminbin' => sub {
    for my $case (
        [ { method => 'DELETE', route => '/' },                  qr/GET or POST/ ],
        [ { route  => 'http://evil.example/' },                  qr/route/ ],
        [ { route  => '//evil.example/' },                       qr/route/ ],
        [ { route  => "/\r\nX-Fix-Email-Auth-Role: admin" },     qr/route/ ],
        [ { route  => '/', form => '[1,2]' },                    qr/JSON object/ ],
        [ { route  => '/', form => '{"a":' },                    qr/JSON object/ ],
        [ { route  => '/', form => '{"a":"' . ( 'x' x 70000 ) . '"}' }, qr/too large/ ],
    ) {
        my ( $ok, $result ) = call( 'relay', $case->[0], {} );
        is( $ok, 0, 'refused' );
        like( join( ' ', @{ $result->errors || [] } ), $case->[1], 'with a clear error' );
        is( scalar @sent, 0, 'nothing sent' );
    }
};

subtest 'when the JSON functions are called, then each asks the right API route and returns the daemon JSON as data' => sub {
    my @cases = (
        [ 'list_domains', {},                            'GET',  '/api/domains' ],
        [ 'diagnose',     { domain => 'Example.COM.' },  'GET',  '/api/domains/example.com' ],
        [ 'fix',          { domain => 'example.com' },   'POST', '/api/domains/example.com/fix' ],
        [ 'job_status',   { id => '7' },                 'GET',  '/api/jobs/7' ],
        [ 'rollback',     { id => '3' },                 'POST', '/api/changes/3/rollback' ],
        [ 'history',      {},                            'GET',  '/api/history' ],
    );
    for my $case (@cases) {
        my ( $function, $args, $method, $route ) = @$case;
        my ( $ok, $result ) = call( $function, $args, { status => 200, body => { from => $function } } );
        is( $ok, 1, "$function succeeds" );
        is_deeply( $sent[0]{data}, { method => $method, route => $route }, "$function sends $method $route" );
        is( $sent[0]{function}, 'API', "$function uses the API action" );
        is_deeply( $result->data, { from => $function }, "$function returns the daemon's JSON" );
    }
};

subtest 'when the daemon answers an API call with an error status, then it becomes a UAPI error with its message' => sub {
    my ( $ok, $result ) = call( 'diagnose', { domain => 'bob.example' }, { status => 403, body => { error => { code => 'NOT_YOUR_DOMAIN', message => 'bob.example does not belong to alice' } } } );
    is( $ok, 0 );
    is_deeply( $result->errors, ['bob.example does not belong to alice'] );
};

subtest 'when the adminbin refuses or the daemon is down, then the bridge message becomes the UAPI error' => sub {
    my ( $ok, $result ) = call( 'list_domains', {}, { status => 503, error => { code => 'DAEMON_UNAVAILABLE', message => 'The fix-email-auth daemon is not running' } } );
    is( $ok, 0 );
    is_deeply( $result->errors, ['The fix-email-auth daemon is not running'] );
};

subtest 'when cpwrapd itself fails, then the error says the service could not be reached' => sub {
    @sent = ();
    local $Cpanel::Wrap::HANDLER = sub { return { status => 0, error => 1, statusmsg => 'Failed to connect to cpsrvd socket' } };
    my $result = Cpanel::Result->new();
    my $ok     = Cpanel::API::FixEmailAuth::history( Cpanel::Args->new( {} ), $result );
    is( $ok, 0 );
    like( $result->errors->[0], qr/could not be reached: Failed to connect/ );
};

subtest 'when a domain or id is not valid, then it is refused without asking the adminbin' => sub {
    for my $case ( [ 'diagnose', { domain => '../admin' } ], [ 'fix', { domain => 'a b.com' } ], [ 'diagnose', {} ], [ 'job_status', { id => '7/../../admin' } ], [ 'rollback', { id => '' } ] ) {
        my ( $ok, $result ) = call( @$case, {} );
        is( $ok, 0, "$case->[0] refused" );
        ok( $result->errors && @{ $result->errors }, 'with an error' );
        is( scalar @sent, 0, 'nothing sent' );
    }
};

done_testing();
