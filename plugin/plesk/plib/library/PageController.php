<?php
/**
 * What both page controllers do: take the route from the query, relay with the session's identity,
 * and send the daemon's page as it is (it is a complete document: Plesk's layout is switched off).
 */
abstract class Modules_FixEmailAuth_PageController extends pm_Controller_Action
{
    /** `index.php/<controller>/relay?route={route}` */
    protected function mount()
    {
        return pm_Context::getActionUrl($this->getRequest()->getControllerName(), 'relay') . '?route={route}';
    }

    protected function relay($route)
    {
        $this->_helper->layout()->disableLayout();
        $this->_helper->viewRenderer->setNoRender(true);
        $request = $this->getRequest();
        $method = $request->isPost() ? 'POST' : 'GET';
        $form = $method === 'POST' ? Modules_FixEmailAuth_Relay::formOf($request->getPost()) : array();
        $answer = Modules_FixEmailAuth_Relay::forward(pm_Session::getClient(), $method, $route, $form, $this->mount());
        $response = $this->getResponse();
        $response->setHttpResponseCode($answer['status']);
        $response->setHeader('Content-Type', $answer['contentType'], true);
        if ($answer['location'] !== null) {
            $response->setHeader('Location', $answer['location'], true);
        }
        $response->setBody($answer['body']);
    }

    protected function refuse($status, $text)
    {
        $this->_helper->layout()->disableLayout();
        $this->_helper->viewRenderer->setNoRender(true);
        $this->getResponse()->setHttpResponseCode($status)->setHeader('Content-Type', 'text/plain; charset=utf-8', true)->setBody($text);
    }

    /** The `route` query parameter, `/` when absent. */
    protected function route()
    {
        $route = $this->getRequest()->getParam('route', '/');
        return is_string($route) && $route !== '' ? $route : '/';
    }
}
