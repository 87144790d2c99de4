/** Options shared by commands, declared once so every --help shows them the same way. */
import { Option, type Command } from 'commander';
import { Output } from '../output.ts';
import { stateDirOf } from '../session/state-dir.ts';

export interface CommonOptions {
  readonly server?: string;
  readonly email?: string;
  readonly stateDir?: string;
  readonly json?: boolean;
}

/** --server/--email/--state-dir/--json on a client command. */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option('--server <url>', 'server address: a host (HTTPS), an IP (http, port 3000) or a URL'))
    .addOption(new Option('--email <address>', 'account email (password from PHOTOSYNC_PASSWORD)'))
    .addOption(new Option('--state-dir <dir>', 'where the session and hash cache live (default ~/.config/photosync)'))
    .addOption(new Option('--json', 'print the result as JSON for scripts'));
}

export function resolveCommon(options: CommonOptions): { stateDir: string; output: Output } {
  return { stateDir: stateDirOf(options.stateDir), output: new Output({ json: options.json === true }) };
}
