<?php
/** The administrator's pages (Tools & Settings button): only for the Plesk administrator's session. */
class AdminController extends Modules_FixEmailAuth_PageController
{
    public function init()
    {
        parent::init();
        if (!pm_Session::getClient()->isAdmin()) {
            throw new pm_Exception('Permission denied');
        }
    }

    public function indexAction()
    {
        $this->relay('/admin');
    }

    public function relayAction()
    {
        $this->relay($this->route());
    }
}
