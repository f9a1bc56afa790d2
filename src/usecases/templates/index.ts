/** cPanel's zone templates: check them, repair a stale `_mailchannels` line, undo. */
export { checkTemplate, fillTemplate, TEMPLATE_DOMAIN, type TemplateReport } from './check';
export { checkZoneTemplates, repairZoneTemplate, rollbackZoneTemplate, type TemplateContext, type TemplateRepairResult } from './repair';
