package Whostmgr::ACLS;

# Test stand-in for cPanel's Whostmgr::ACLS (docs/reference/cpanel-plugins.md §7.3): the logged-in WHM user's ACLs
# come from STUB_WHM_ACLS (comma-separated); `all` is root-equivalent.

use strict;
use warnings;

my %ACLS;
our $INITIALISED = 0;

sub init_acls {
    %ACLS        = map { $_ => 1 } split /,/, ( $ENV{STUB_WHM_ACLS} // '' );
    $INITIALISED = 1;
    return 1;
}

sub checkacl {
    my ($acl) = @_;
    die "checkacl() before init_acls()\n" if !$INITIALISED;
    return $ACLS{all} || $ACLS{$acl} ? 1 : 0;
}

sub hasroot { return $ACLS{all} ? 1 : 0 }

1;
