<?php
/**
 * Stand-ins for the parts of Plesk's PHP SDK the extension uses (signatures from
 * https://github.com/plesk/pm-api-stubs: pm/Client.php, pm/ApiCli.php, pm/Session.php). callSbin runs
 * the real relay helper (FEA_RELAY_HELPER) with Node, as Plesk runs it as root, and records its
 * arguments in FEA_SBIN_LOG.
 */
class pm_Exception extends Exception {}

class pm_Client
{
    private $data;
    public function __construct(array $data) { $this->data = $data; }
    public function isAdmin() { return !empty($this->data['admin']); }
    public function isReseller() { return !empty($this->data['reseller']); }
    public function isClient() { return !$this->isAdmin() && !$this->isReseller(); }
    public function getId() { return $this->data['id']; }
    public function getLogin() { return $this->data['login']; }
    public function hasAccessToDomain($domainId) { return in_array((int) $domainId, $this->data['domains'], true); }
}

class pm_Session
{
    public static $client;
    public static function getClient() { return self::$client; }
}

class pm_ApiCli
{
    const RESULT_FULL = 1;
    const RESULT_STDOUT = 2;
    const RESULT_STDERR = 3;
    const RESULT_CODE = 4;
    const RESULT_EXCEPTION = 5;

    public static function callSbin($cmd, $args = array(), $result = self::RESULT_EXCEPTION)
    {
        file_put_contents(getenv('FEA_SBIN_LOG'), json_encode(array('cmd' => $cmd, 'args' => $args)) . "\n", FILE_APPEND);
        $line = escapeshellarg(getenv('FEA_NODE')) . ' ' . escapeshellarg(getenv('FEA_RELAY_HELPER'));
        foreach ($args as $arg) {
            $line .= ' ' . escapeshellarg($arg);
        }
        $out = array();
        exec($line, $out, $code);
        return array('code' => $code, 'stdout' => implode("\n", $out), 'stderr' => '');
    }
}
