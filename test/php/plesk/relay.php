<?php
/**
 * Drives Modules_FixEmailAuth_Relay as a page would: stdin holds {client, method, route, form}; the
 * client stands for Plesk's session. Prints the relayed answer as JSON.
 */
require __DIR__ . '/stubs.php';
require __DIR__ . '/../../../plugin/plesk/plib/library/Relay.php';

$input = json_decode(stream_get_contents(STDIN), true);
pm_Session::$client = new pm_Client($input['client']);
$answer = Modules_FixEmailAuth_Relay::forward(
    pm_Session::getClient(),
    $input['method'],
    $input['route'],
    Modules_FixEmailAuth_Relay::formOf($input['form']),
    '/modules/fix-email-auth/index.php/index/relay?route={route}'
);
echo json_encode($answer), "\n";
