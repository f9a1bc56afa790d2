#!/usr/bin/perl
# The WHM CGI against the stub daemon started by the jest driver: the `all` ACL gate, the admin
# role and WHM user headers, redirects and downloads.

use strict;
use warnings;

use FindBin ();
use Test::More;

use TestCgi ();

plan skip_all => 'run through test/integration/plugin/perl.test.ts (needs its stub daemon)' if !$ENV{FIX_EMAIL_AUTH_SOCKET};

my $cgi  = "$FindBin::Bin/../../plugin/whm/cgi/fix_email_auth/index.cgi";
my %root = ( STUB_WHM_ACLS => 'all', REMOTE_USER => 'root' );

subtest 'when root opens the plugin, then the daemon answers the admin overview for root' => sub {
    my $r = TestCgi::run_cgi( $cgi, env => \%root, query => 'route=%2Fadmin' );
    is( $r->{exit}, 0 ) or diag $r->{stderr};
    is( $r->{status}, 200 );
    like( $r->{body}, qr{Server overview for root} );
    like( $r->{body}, qr{href="index\.cgi\?route=%2Fadmin%2Fdomains%3Fstatus%3Derror"}, 'links come back through the CGI' );
};

subtest 'when a reseller without the all ACL opens it, then access is denied before the daemon is asked' => sub {
    my $r = TestCgi::run_cgi( $cgi, env => { STUB_WHM_ACLS => 'list-accts,edit-dns', REMOTE_USER => 'resell', FIX_EMAIL_AUTH_SOCKET => '/nonexistent/daemon.sock' }, query => 'route=%2Fadmin' );
    is( $r->{status}, 403 );
    is( $r->{body}, "Access Denied.\n" );
};

subtest 'when the scan is started, then the POST reaches the daemon and the redirect comes back through the CGI' => sub {
    my $r = TestCgi::run_cgi( $cgi, env => \%root, method => 'POST', query => 'route=%2Fadmin%2Fscan', body => 'all=1' );
    is( $r->{status}, 303 );
    is( $r->{headers}{location}, 'index.cgi?route=%2Fjobs%2F9' );
};

subtest 'when a CSV export is asked with GET fields, then it downloads with the daemon\'s headers' => sub {
    my $r = TestCgi::run_cgi( $cgi, env => \%root, query => 'route=%2Fadmin%2Fdomains&format=csv' );
    is( $r->{status}, 200 );
    like( $r->{headers}{'content-type'}, qr{^text/csv} );
    is( $r->{headers}{'content-disposition'}, 'attachment; filename="domains.csv"' );
    is( $r->{body}, "domain,status\nexample.com,error\n" );
};

subtest 'when the daemon is down, then a clear 503 page names the service' => sub {
    my $r = TestCgi::run_cgi( $cgi, env => { %root, FIX_EMAIL_AUTH_SOCKET => '/nonexistent/daemon.sock' } );
    is( $r->{status}, 503 );
    like( $r->{body}, qr{fix-email-auth service is not available} );
};

subtest 'when the route is not a path, then it is refused' => sub {
    my $r = TestCgi::run_cgi( $cgi, env => \%root, query => 'route=%2F%2Fevil.example' );
    is( $r->{status}, 400 );
};

done_testing();
