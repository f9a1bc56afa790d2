/** Types of cli.js. */
export interface FakeRunOutcome {
  stdout: string;
  stderr?: string;
  exitCode: number;
}
/** One invocation in-process: argv after the program name, and the environment. */
export declare function run(argv: string[], env: NodeJS.ProcessEnv): FakeRunOutcome;
export declare function main(): void;
