import type { CommandModule } from 'yargs';
import { count } from '../../count.js';
import { type SpecArgs, withSpecOptions } from '../lab-options.js';

interface DoctorArgs extends SpecArgs {
  json: boolean;
}

export const doctorCommand: CommandModule<object, DoctorArgs> = {
  command: 'doctor',
  describe: 'Check this host for labs: engine, compose, privileged, runtime (Sysbox), cgroups, IPVS, VXLAN, ports, disk, images and their CPU architectures',
  builder: (y) => withSpecOptions(y).option('json', { type: 'boolean', default: false, describe: 'Print JSON' }),
  async handler(args) {
    const [{ resolveLab }, { DockerEngine }, { currentEndpoint }, { runChecks }, { table }] = await Promise.all([
      import('../lab-options.js'),
      import('../../engine/docker-engine.js'),
      import('../../engine/current-endpoint.js'),
      import('../../doctor/checks.js'),
      import('../output.js'),
    ]);
    const resolved = await resolveLab(args);
    const results = await runChecks({ engine: new DockerEngine(), endpoint: currentEndpoint(), resolved });
    const failed = results.filter((r) => r.status === 'fail').length;
    if (args.json) {
      console.log(JSON.stringify({ ok: failed === 0, checks: results }, null, 2));
    } else {
      const rows = results.flatMap((r) => [[r.status, r.check, r.detail], ...(r.fix && r.status !== 'pass' ? [['', '', `fix: ${r.fix}`]] : [])]);
      console.log(table(['STATUS', 'CHECK', 'DETAIL'], rows));
      const warned = results.filter((r) => r.status === 'warn').length;
      console.log(failed === 0 ? `Ready for labs${warned > 0 ? ` (${count(warned, 'warning')})` : ''}.` : `${count(failed, 'check')} failed.`);
    }
    if (failed > 0) process.exitCode = 1;
  },
};
