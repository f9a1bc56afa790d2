package Cpanel::Wrap;

# Test stand-in for cPanel's Cpanel::Wrap::send_cpwrapd_request (docs/reference/cpanel-plugins.md §6.2).
#
# - If $Cpanel::Wrap::HANDLER is a code ref, it answers (unit tests record the request).
# - Otherwise it plays cpwrapd: runs the adminbin named by STUB_CPWRAPD_ADMINBIN with the caller's
#   UID (STUB_CPWRAPD_UID, default the real UID) on the first stdin line, the function as the
#   action, "." and the JSON data; a `.\n` answer is decoded into `data`, like cPanel's full mode.

use strict;
use warnings;

use IPC::Open3 ();
use JSON::PP   ();
use Symbol     ();

our $HANDLER;
our @REQUESTS;

sub send_cpwrapd_request {
    my (%opts) = @_;
    push @REQUESTS, {%opts};
    return $HANDLER->(%opts) if ref $HANDLER eq 'CODE';

    my $adminbin = $ENV{STUB_CPWRAPD_ADMINBIN} or return { status => 0, error => 1, statusmsg => 'STUB_CPWRAPD_ADMINBIN is not set' };
    my $uid      = $ENV{STUB_CPWRAPD_UID} // $<;
    my $input    = "$uid $opts{function}\n.\n" . JSON::PP->new->canonical->encode( $opts{data} );

    my $err = Symbol::gensym();
    my $pid = IPC::Open3::open3( my $in, my $out, $err, $adminbin );
    print {$in} $input;
    close $in;
    my $stdout = do { local $/; <$out> } // '';
    waitpid $pid, 0;
    my $exit = $? >> 8;

    return { status => 0, error => 1, exit_code => $exit, statusmsg => "adminbin exited with $exit", data => $stdout } if $exit;
    if ( $stdout =~ s/\A\.\n// ) {
        my $data = eval { JSON::PP->new->decode($stdout) };
        return { status => 0, error => 1, statusmsg => "Failed to deserialize: $stdout" } if !defined $data;
        return { status => 1, error => 0, data => $data };
    }
    return { status => 1, error => 0, data => $stdout };
}

1;
