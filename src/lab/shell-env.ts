// `swarmlab env`: environment variables as each shell sets and unsets them, like
// `docker-machine env`. Pure.

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

/** `value` as one literal word of `shell` (sh by default). */
export function quoted(value: string, shell: Shell = 'bash'): string {
  // Single quotes take everything literally in sh, fish and PowerShell; a quote inside is written as each shell wants.
  if (shell === 'powershell') return `'${value.replaceAll("'", "''")}'`;
  if (shell === 'fish') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Lines that set `vars` in `shell`, then how to apply them, as comments. */
export function setLines(vars: [string, string][], shell: Shell, command: string): string[] {
  const lines = vars.map(([name, value]) => {
    if (shell === 'fish') return `set -gx ${name} ${quoted(value, shell)};`;
    if (shell === 'powershell') return `$Env:${name} = ${quoted(value, shell)}`;
    return `export ${name}=${quoted(value, shell)}`;
  });
  return [...lines, `# Run this command to configure your shell:`, `# ${applyHint(shell, command)}`];
}

/** Lines that unset `names` in `shell`. */
export function unsetLines(names: string[], shell: Shell, command: string): string[] {
  const lines =
    shell === 'fish' ? names.map((n) => `set -e ${n};`) : shell === 'powershell' ? names.map((n) => `Remove-Item Env:\\${n}`) : [`unset ${names.join(' ')}`];
  return [...lines, `# Run this command to configure your shell:`, `# ${applyHint(shell, command)}`];
}

function applyHint(shell: Shell, command: string): string {
  if (shell === 'fish') return `${command} | source`;
  if (shell === 'powershell') return `& ${command} | Invoke-Expression`;
  return `eval "$(${command})"`;
}

/** The shell of $SHELL when it is one of ours, else bash. */
export function shellFromEnv(shellPath: string | undefined): Shell {
  const name = (shellPath ?? '').split('/').pop() ?? '';
  return (SHELLS as readonly string[]).includes(name) ? (name as Shell) : 'bash';
}
