#!/usr/bin/perl
# The Jupiter page end to end, without cPanel: index.live.pl (stub LiveAPI) → Cpanel::API::FixEmailAuth
# → cpwrapd stand-in → the real adminbin (as alice's UID) → the stub daemon started by the jest driver
# (test/integration/plugin/perl.test.ts).

use strict;
use warnings;

use FindBin ();
use Test::More;

use TestCgi ();

plan skip_all => 'run through test/integration/plugin/perl.test.ts (needs its stub daemon)' if !$ENV{FIX_EMAIL_AUTH_SOCKET} || !$ENV{STUB_CPWRAPD_ADMINBIN};

my $page = "$FindBin::Bin/../../plugin/cpanel/index.live.pl";
my %alice = ( STUB_FEATURES => 'fix_email_auth', STUB_CPWRAPD_UID => $ENV{UID_ALICE} );

subtest 'when alice opens the page, then the daemon overview appears inside Jupiter chrome with links back through the page' => sub {
    my $r = TestCgi::run_cgi( $page, env => \%alice );
    is( $r->{exit},   0,   'exits cleanly' ) or diag $r->{stderr};
    is( $r->{status}, 200, 'status 200' );
    like( $r->{headers}{'content-type'}, qr{^text/html}, 'HTML' );
    like( $r->{body}, qr{\A<!-- jupiter header: Fix Email Authorization -->}, 'Jupiter header first' );
    like( $r->{body}, qr{<!-- jupiter footer -->\n\z},                        'Jupiter footer last' );
    like( $r->{body}, qr{Domains of alice},                                   'the daemon saw alice' );
    like( $r->{body}, qr{href="index\.live\.pl\?route=%2Fdomains%2Fexample\.com"}, 'links come back through the page' );
    like( $r->{body}, qr{<link rel="stylesheet" href="index\.live\.pl\?route=%2Fstatic%2Fapp\.css">}, 'the stylesheet of the head is kept' );
    unlike( $r->{body}, qr{<html|<body}i, 'no nested document' );
};

subtest 'when the feature is off, then the page refuses politely before relaying anything' => sub {
    my $r = TestCgi::run_cgi( $page, env => { %alice, STUB_FEATURES => '' } );
    is( $r->{status}, 403 );
    like( $r->{body}, qr{not enabled for your account} );
    like( $r->{body}, qr{jupiter header}, 'still inside Jupiter' );
};

subtest 'when alice asks for bob\'s domain, then the daemon\'s refusal is shown' => sub {
    my $r = TestCgi::run_cgi( $page, env => \%alice, query => 'route=%2Fdomains%2Fbob.example' );
    is( $r->{status}, 403 );
    like( $r->{body}, qr{does not belong to your account} );
};

subtest 'when alice posts the fix form, then she is redirected to the job page through the page' => sub {
    my $r = TestCgi::run_cgi( $page, env => \%alice, method => 'POST', query => 'route=%2Fdomains%2Fexample.com%2Ffix', body => 'confirm=1' );
    is( $r->{status}, 303 );
    is( $r->{headers}{location}, 'index.live.pl?route=%2Fjobs%2F7' );
};

subtest 'when the job page polls JSON, then it passes through without chrome' => sub {
    my $r = TestCgi::run_cgi( $page, env => { %alice, HTTP_ACCEPT => 'application/json' }, query => 'route=%2Fapi%2Fjobs%2F7' );
    is( $r->{status}, 200 );
    like( $r->{headers}{'content-type'}, qr{^application/json} );
    is( $r->{body}, '{"id":"7","state":"done","error":null}' );
};

subtest 'when a GET form sends fields beside route, then they reach the daemon as the query' => sub {
    my $r = TestCgi::run_cgi( $page, env => \%alice, query => 'route=%2F&status=error' );
    like( $r->{body}, qr{query \?status=error} );
};

subtest 'when the route is an admin page or another host, then alice gets an error page' => sub {
    my $admin = TestCgi::run_cgi( $page, env => \%alice, query => 'route=%2Fadmin' );
    is( $admin->{status}, 502, 'refused by the bridge' );
    like( $admin->{body}, qr{not a route for cPanel users} );
    my $host = TestCgi::run_cgi( $page, env => \%alice, query => 'route=http%3A%2F%2Fevil.example%2F' );
    is( $host->{status}, 400 );
};

subtest 'when the daemon is down, then the page says so inside Jupiter' => sub {
    my $r = TestCgi::run_cgi( $page, env => { %alice, FIX_EMAIL_AUTH_SOCKET => '/nonexistent/daemon.sock' } );
    is( $r->{status}, 502 );
    like( $r->{body}, qr{daemon is not running} );
    like( $r->{body}, qr{jupiter footer} );
};

done_testing();
