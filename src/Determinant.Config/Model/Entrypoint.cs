using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Determinant.Config;

/// <summary>What a trial runs (REFERENCE.md §2.8): a string (a trial class or a shell command) or an argv list.</summary>
/// <remarks>Exactly one of <see cref="Command"/> and <see cref="Argv"/> is set.</remarks>
public sealed partial record Entrypoint
{
    private Entrypoint(string? command, ImmutableArray<string> argv)
    {
        Command = command;
        Argv = argv;
    }

    /// <summary>The entrypoint as a string (<c>model_def:Trial</c> or a command run with <c>sh -c</c>); null when it is a list.</summary>
    public string? Command { get; }

    /// <summary>The entrypoint as an argv list, run with no shell; empty when it is a string.</summary>
    public ImmutableArray<string> Argv { get; }

    /// <summary>True when the string names a trial class (<c>module:Class</c>), which the platform harness runs.</summary>
    public bool IsTrialClass => Command is not null && TrialClassPattern().IsMatch(Command);

    /// <summary>An entrypoint written as a string.</summary>
    public static Entrypoint FromCommand(string command)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        return new Entrypoint(command, []);
    }

    /// <summary>An entrypoint written as an argv list.</summary>
    public static Entrypoint FromArgv(IEnumerable<string> argv) => new(null, [.. argv]);

    /// <summary>Compares by content.</summary>
    public bool Equals(Entrypoint? other) =>
        other is not null && Command == other.Command && ValueEquality.Sequence(Argv, other.Argv);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Command, Argv.IsDefault ? 0 : Argv.Length);

    /// <inheritdoc/>
    public override string ToString() => Command ?? string.Join(' ', Argv);

    [GeneratedRegex("^[a-zA-Z0-9_.]+:[a-zA-Z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TrialClassPattern();
}
