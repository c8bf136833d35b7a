import { Argument, type Command } from 'commander';
import { out } from '../output.ts';

interface Node {
  path: string;
  words: string[];
}

/** Every command path with what may follow it: its subcommands, choices of its argument, its options. */
function nodesOf(command: Command, path: string[] = []): Node[] {
  const words = [
    ...command.commands.map((c) => c.name()),
    ...command.registeredArguments.flatMap((a: Argument) => a.argChoices ?? []),
    ...command.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined)),
    '--help',
  ];
  return [{ path: path.join(' '), words }, ...command.commands.flatMap((c) => nodesOf(c, [...path, c.name()]))];
}

function bashScript(program: Command): string {
  const nodes = nodesOf(program);
  const name = program.name();
  const paths = nodes.filter((n) => n.path !== '').map((n) => `"${n.path}"`);
  return `# ${name} completion for bash: eval "$(${name} completion bash)"
_${name}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" next word i
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    next="\${path:+$path }$word"
    case "$next" in
      ${paths.join('|')}) path="$next" ;;
    esac
  done
  local words=""
  case "$path" in
${nodes.map((n) => `    "${n.path}") words="${n.words.join(' ')}" ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _${name}_complete ${name}
`;
}

/** `tierlink completion bash|zsh`: a completion script generated from the command tree itself. */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: eval "$(tierlink completion bash)"')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(['bash', 'zsh']))
    .action((shell: 'bash' | 'zsh') => {
      const script = bashScript(program);
      // zsh runs bash completion functions through bashcompinit, which ships with zsh.
      out(shell === 'bash' ? script : `# tierlink completion for zsh: eval "$(tierlink completion zsh)"\nautoload -U +X bashcompinit && bashcompinit\n${script}`);
    });
}
