package Cpanel::LiveAPI;

# Test stand-in for cPanel's Cpanel::LiveAPI (docs/reference/cpanel-plugins.md §2.2–2.3) as a .live.pl page sees it.
#
# - cpanelfeature($name): true when $name is in STUB_FEATURES (comma-separated).
# - uapi($module, $function, \%args): calls Cpanel::API::<module>::<function> in-process with the
#   stub Cpanel::Args/Cpanel::Result, honouring its %API needs_feature, and wraps the result the way
#   cpsrvd does ({cpanelresult => {result => {status, data, errors}}}).
# - header()/footer(): recognisable markers instead of Jupiter's chrome.

use strict;
use warnings;

use Cpanel::Args   ();
use Cpanel::Result ();

our @CALLS;

sub new { return bless { connected => 1 }, shift }

sub cpanelfeature {
    my ( $self, $feature ) = @_;
    push @CALLS, [ 'cpanelfeature', $feature ];
    my %on = map { $_ => 1 } split /,/, ( $ENV{STUB_FEATURES} // '' );
    return $on{$feature} ? 1 : 0;
}

sub uapi {
    my ( $self, $module, $function, $args ) = @_;
    push @CALLS, [ 'uapi', $module, $function, $args ];
    my $package = "Cpanel::API::$module";
    ( my $file = "$package.pm" ) =~ s{::}{/}g;
    require $file;
    my $result = Cpanel::Result->new();
    no strict 'refs';
    my $spec    = ${"${package}::API"}{$function} || {};
    my $feature = $spec->{needs_feature};
    if ( defined $feature && !$self->cpanelfeature($feature) ) {
        $result->raw_error("This feature requires the “$feature” option and is not enabled on your account.");
        $result->status(0);
    }
    else {
        my $ok = &{"${package}::${function}"}( Cpanel::Args->new($args), $result );
        $result->status($ok);
    }
    return { cpanelresult => { result => { status => $result->status, data => $result->data, errors => $result->errors } } };
}

sub header {
    my ( $self, $title ) = @_;
    return "<!-- jupiter header: $title -->\n";
}

sub footer { return "<!-- jupiter footer -->\n" }

sub end {
    my ($self) = @_;
    push @CALLS, ['end'];
    $self->{connected} = 0;
    return;
}

1;
