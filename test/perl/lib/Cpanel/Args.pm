package Cpanel::Args;

# Test stand-in for cPanel's Cpanel::Args (the `$args` of a UAPI function): only what the
# FixEmailAuth module uses.

use strict;
use warnings;

sub new {
    my ( $class, $values ) = @_;
    return bless { values => { %{ $values || {} } } }, $class;
}

sub get {
    my ( $self, $name ) = @_;
    return $self->{values}{$name};
}

1;
