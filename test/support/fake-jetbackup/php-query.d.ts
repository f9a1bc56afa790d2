/** Types of php-query.js. */
export declare function parsePhpQuery(query: string): Record<string, unknown>;
export declare function decodeComponent(text: string): string;
