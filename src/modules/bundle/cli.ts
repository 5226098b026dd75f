// `harbinger export DIR` and `harbinger import harbinger DIR`.
import type { Config } from '../../config.js';

export type CliValues = Record<string, string | boolean | undefined>;

export async function exportCommand(args: string[], values: CliValues, config: Config): Promise<number> {
  void args;
  void values;
  void config;
  console.error('Usage: harbinger export DIR');
  return 2;
}

export async function importBundleCommand(args: string[], values: CliValues, config: Config): Promise<number> {
  void args;
  void values;
  void config;
  console.error('Usage: harbinger import harbinger DIR');
  return 2;
}
