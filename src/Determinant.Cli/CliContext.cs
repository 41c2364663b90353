using Determinant.Client;

namespace Determinant.Cli;

/// <summary>Everything a command touches outside its arguments: streams, environment, config directory; tests set their own.</summary>
internal sealed class CliContext
{
    public required TextWriter Output { get; init; }

    public required TextWriter Error { get; init; }

    public TextReader Input { get; init; } = Console.In;

    /// <summary>Whether prompts talk to a person (no echo for passwords) or read lines from a pipe.</summary>
    public bool InputIsTerminal { get; init; }

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Whether progress bars are drawn on <see cref="Error"/>: only when it is a terminal (never in tests or pipes).</summary>
    public bool ShowProgress { get; init; }

    /// <summary>The largest model directory <c>experiment create</c> sends; tests lower it instead of writing 95 MiB.</summary>
    public long ModelDefinitionLimitBytes { get; init; } = ModelDefinitionPackage.DefaultLimitBytes;

    public DeterminantClientOptions ClientOptions { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where relative paths of commands resolve (<c>checkpoint download</c>'s default directory); tests set their own.</summary>
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    public GlobalOptions Globals { get; } = new();

    /// <summary><c>$XDG_CONFIG_HOME/determinant</c>, else <c>~/.config/determinant</c>.</summary>
    public string ConfigDirectory
    {
        get
        {
            var xdg = Environment("XDG_CONFIG_HOME");
            var home = Environment("HOME") is { Length: > 0 } h ? h : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
            return Path.Combine(string.IsNullOrEmpty(xdg) ? Path.Combine(home, ".config") : xdg, "determinant");
        }
    }

    public string HomeDirectory =>
        Environment("HOME") is { Length: > 0 } home ? home : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);

    public static CliContext ForConsole(TextWriter output, TextWriter error) =>
        new() { Output = output, Error = error, InputIsTerminal = !Console.IsInputRedirected, ShowProgress = !Console.IsErrorRedirected };

    /// <summary>Prompts and reads one line; on a terminal, a secret is read without echo.</summary>
    public string? Prompt(string prompt, bool secret)
    {
        Error.Write(prompt);
        Error.Flush();
        if (!secret || !InputIsTerminal)
            return Input.ReadLine();
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
                break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0)
                    text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
                text.Append(key.KeyChar);
        }
        Error.WriteLine();
        return text.ToString();
    }
}
