package Cpanel::Result;

# Test stand-in for cPanel's Cpanel::Result (the `$result` of a UAPI function): data, errors and
# status as cPanel's own keeps them (error() goes through maketext there; here it keeps the text).

use strict;
use warnings;

sub new { return bless { data => undef, errors => undef, status => 1 }, shift }

sub data {
    my $self = shift;
    return $self->{data} if !@_;
    $self->{data} = shift;
    return 1;
}

sub error {
    my ( $self, $text, @args ) = @_;
    $text =~ s/\[_(\d+)\]/$args[$1 - 1]/g;
    push @{ $self->{errors} }, $text;
    return;
}

sub raw_error {
    my ( $self, $text ) = @_;
    push @{ $self->{errors} }, $text;
    return;
}

sub errors { return $_[0]->{errors} }

sub status {
    my $self = shift;
    $self->{status} = shift() ? 1 : 0 if @_;
    return $self->{status};
}

1;
