<?php
/**
 * Relays one page request to the fix-email-auth daemon through the extension's root helper
 * (sbin/fix-email-auth-relay, run by pm_ApiCli::callSbin: https://github.com/plesk/pm-api-stubs
 * `pm/ApiCli.php`). The daemon listens on a root-only Unix socket; this PHP runs as Plesk's panel
 * user and cannot reach it, the helper can.
 *
 * Identity comes from Plesk's session only (pm_Session::getClient(): login, and whether it is an
 * administrator, reseller or customer), never from the request: route and form fields are passed
 * on as data the helper and the daemon check, but no request parameter can name the user or role.
 */
class Modules_FixEmailAuth_Relay
{
    const HELPER = 'fix-email-auth-relay';

    /** The role the daemon knows the session's client by: `admin`, or `user` for customers and resellers. */
    public static function roleOf(pm_Client $client)
    {
        return $client->isAdmin() ? 'admin' : 'user';
    }

    /**
     * @param pm_Client $client the session's client (pm_Session::getClient())
     * @param string $mount the page URL with a {route} placeholder, for links in the daemon's pages
     * @return array{status:int,contentType:string,body:string,location:?string}
     */
    public static function forward(pm_Client $client, $method, $route, array $form, $mount)
    {
        $args = array(
            '--role', self::roleOf($client),
            '--plesk-role', $client->isAdmin() ? 'admin' : ($client->isReseller() ? 'reseller' : 'customer'),
            '--login', (string) $client->getLogin(),
            '--client-id', (string) $client->getId(),
            '--method', $method === 'POST' ? 'POST' : 'GET',
            '--route', (string) $route,
            '--mount', (string) $mount,
        );
        if ($method === 'POST') {
            $args[] = '--form';
            $args[] = json_encode((object) $form);
        }
        $result = pm_ApiCli::callSbin(self::HELPER, $args, pm_ApiCli::RESULT_FULL);
        $answer = json_decode(isset($result['stdout']) ? $result['stdout'] : '', true);
        if (!is_array($answer) || !isset($answer['status'])) {
            return array(
                'status' => 503,
                'contentType' => 'text/plain; charset=utf-8',
                'body' => "The fix-email-auth service did not answer.\n",
                'location' => null,
            );
        }
        $body = isset($answer['body']) ? (string) $answer['body'] : '';
        if (isset($answer['bodyEncoding']) && $answer['bodyEncoding'] === 'base64') {
            $body = base64_decode($body);
        }
        return array(
            'status' => (int) $answer['status'],
            'contentType' => isset($answer['contentType']) ? (string) $answer['contentType'] : 'text/html; charset=utf-8',
            'body' => $body,
            'location' => isset($answer['location']) ? (string) $answer['location'] : null,
        );
    }

    /** Form fields of a POST as strings (or lists of strings); anything else is dropped. */
    public static function formOf(array $post)
    {
        $form = array();
        foreach ($post as $name => $value) {
            if (is_string($value)) {
                $form[$name] = $value;
            } elseif (is_array($value)) {
                $form[$name] = array_values(array_filter($value, 'is_string'));
            }
        }
        return $form;
    }
}
