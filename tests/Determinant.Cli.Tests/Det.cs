using Determinant.Client;

namespace Determinant.Cli.Tests;

/// <summary>Runs <c>det</c> in-process with its own environment, config directory and stdin, against one master.</summary>
internal sealed class Det(string master, string home)
{
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal)
    {
        ["DET_MASTER"] = master,
        ["HOME"] = home,
        ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config"),
    };

    public long ModelDefinitionLimitBytes { get; init; } = ModelDefinitionPackage.DefaultLimitBytes;

    /// <summary>Where relative paths resolve; the home directory unless set.</summary>
    public string? WorkingDirectory { get; init; }

    public string AuthFile => Path.Combine(home, ".config", "determinant", "auth.json");

    public async Task<CliRun> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext
        {
            Output = output,
            Error = error,
            Input = new StringReader(input),
            InputIsTerminal = false,
            Environment = name => Environment.GetValueOrDefault(name),
            ModelDefinitionLimitBytes = ModelDefinitionLimitBytes,
            WorkingDirectory = WorkingDirectory ?? home,
            ClientOptions = new DeterminantClientOptions { MaxRetries = 0 },
        };
        var code = await CliApp.RunAsync(args, context, CancellationToken.None);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    public Task<CliRun> RunAsync(params string[] args) => RunWithInputAsync("", args);
}
