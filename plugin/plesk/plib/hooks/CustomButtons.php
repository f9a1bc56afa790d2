<?php
/**
 * Where the pages are reached (places: https://github.com/plesk/pm-api-stubs `pm/Hook/CustomButtons.php`):
 * a button on each domain's page for its owner, with the domain's id as context parameter, and one
 * in the administrator's Tools & Settings.
 */
class Modules_FixEmailAuth_CustomButtons extends pm_Hook_CustomButtons
{
    public function getButtons()
    {
        return array(
            array(
                'place' => self::PLACE_DOMAIN_PROPERTIES,
                'title' => 'Fix Email Authorization',
                'description' => 'Check and repair the MailChannels Domain Lockdown record, SPF, DKIM and DMARC of this domain',
                'link' => pm_Context::getActionUrl('index', 'domain'),
                'contextParams' => true,
            ),
            array(
                'place' => self::PLACE_ADMIN_TOOLS_AND_SETTINGS,
                'section' => self::SECTION_ADMIN_TOOLS_MAIL,
                'title' => 'Fix Email Authorization',
                'description' => 'Scan and repair the MailChannels Domain Lockdown records of every domain on this server',
                'link' => pm_Context::getActionUrl('admin', 'index'),
            ),
        );
    }
}
