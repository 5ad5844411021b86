import type { CommandModule } from 'yargs';
import { type LabArgs, withLabOptions } from '../lab-options.js';

interface EnvArgs extends LabArgs {
  shell?: string;
  unset: boolean;
}

/** What `swarmlab env` sets: the docker CLI's own variables, and the engine swarmlab keeps using. */
const NAMES = ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH', 'SWARMLAB_ENGINE'];

export const envCommand: CommandModule<object, EnvArgs> = {
  command: 'env',
  describe: 'Print DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for the lab\'s manager, for tools that read no docker contexts: eval "$(swarmlab env)"',
  builder: (y) =>
    withLabOptions(y)
      .option('shell', { choices: ['bash', 'zsh', 'fish', 'powershell'], describe: 'The shell to print for (default: $SHELL, else bash)' })
      .option('unset', { type: 'boolean', default: false, describe: 'Print the lines that unset them' }),
  async handler(args) {
    const [{ resolveLab }, shellEnv] = await Promise.all([import('../lab-options.js'), import('../../lab/shell-env.js')]);
    const shell = (args.shell as (typeof shellEnv.SHELLS)[number] | undefined) ?? shellEnv.shellFromEnv(process.env.SHELL);
    const { spec, paths } = await resolveLab(args);
    const again = `swarmlab env${spec.name === 'swarmlab' ? '' : ` --name ${spec.name}`}${args.shell ? ` --shell ${shell}` : ''}`;
    if (args.unset) {
      for (const line of shellEnv.unsetLines(NAMES, shell, `${again} --unset`)) console.log(line);
      return;
    }
    const [{ DockerEngine }, { requireLabApis }, { currentEndpoint }, { clientTls }, { apiHost }] = await Promise.all([
      import('../../engine/docker-engine.js'),
      import('../lab-api-access.js'),
      import('../../engine/current-endpoint.js'),
      import('../../lab/api-tls.js'),
      import('../../lab/lab-api.js'),
    ]);
    const { apis } = await requireLabApis(new DockerEngine(), spec.name);
    const [first] = apis;
    if (!first) return;
    const vars: [string, string][] = [
      ['DOCKER_HOST', apiHost(first)],
      ['DOCKER_TLS_VERIFY', '1'],
      ['DOCKER_CERT_PATH', clientTls(paths).dir],
      // swarmlab's own commands keep using the engine the lab lives on.
      ['SWARMLAB_ENGINE', currentEndpoint().host],
    ];
    for (const line of shellEnv.setLines(vars, shell, again)) console.log(line);
  },
};
