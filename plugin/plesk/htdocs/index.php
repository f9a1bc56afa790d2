<?php
// Entry point of the extension's pages (/modules/fix-email-auth/index.php/<controller>/<action>):
// Plesk's MVC dispatches to plib/controllers. Every page relays to the fix-email-auth daemon through
// the root helper sbin/fix-email-auth-relay (plib/library/Relay.php).
pm_Context::init('fix-email-auth');
$application = new pm_Application();
$application->run();
