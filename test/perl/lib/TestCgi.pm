package TestCgi;

# Runs a CGI script (a LiveAPI page or a WHM CGI) as cpsrvd would: CGI variables in the
# environment, the POST body on stdin, and splits what it prints into status, headers and body.

use strict;
use warnings;

use IPC::Open3 ();
use Symbol     ();

sub run_cgi {
    my ( $script, %opts ) = @_;
    my $body = $opts{body} // '';
    local %ENV = (
        %ENV,
        REQUEST_METHOD => $opts{method} // 'GET',
        QUERY_STRING   => $opts{query}  // '',
        ( length $body ? ( CONTENT_LENGTH => length $body, CONTENT_TYPE => $opts{content_type} // 'application/x-www-form-urlencoded' ) : () ),
        %{ $opts{env} || {} },
    );
    my $err = Symbol::gensym();
    my $pid = IPC::Open3::open3( my $in, my $out, $err, $^X, ( map { "-I$_" } @INC ), $script );
    binmode $in;
    binmode $out;
    print {$in} $body;
    close $in;
    my $stdout = do { local $/; <$out> } // '';
    my $stderr = do { local $/; <$err> } // '';
    waitpid $pid, 0;
    my ( $head, $content ) = split /\r\n\r\n/, $stdout, 2;
    my %headers;
    for my $line ( split /\r\n/, $head // '' ) {
        my ( $name, $value ) = split /:\s*/, $line, 2;
        $headers{ lc $name } = $value;
    }
    my ($status) = ( $headers{status} // '200' ) =~ m/([0-9]{3})/;
    return { exit => $? >> 8, status => $status, headers => \%headers, body => $content // '', stderr => $stderr };
}

1;
