<?php
/**
 * The customer's pages (and a reseller's): the domain's "Fix Email Authorization" button lands on
 * domainAction with Plesk's context parameter `dom_id`; every other page is relayAction.
 */
class IndexController extends Modules_FixEmailAuth_PageController
{
    public function indexAction()
    {
        $this->relay('/');
    }

    public function relayAction()
    {
        $this->relay($this->route());
    }

    /** From the button on a domain's page: only a domain the session's client may access. */
    public function domainAction()
    {
        $domainId = (int) $this->getRequest()->getParam('dom_id', 0);
        $client = pm_Session::getClient();
        if ($domainId <= 0 || !$client->hasAccessToDomain($domainId)) {
            $this->refuse(403, "This domain is not yours.\n");
            return;
        }
        $domain = pm_Domain::getByDomainId($domainId);
        $this->relay('/domains/' . rawurlencode($domain->getName()));
    }
}
