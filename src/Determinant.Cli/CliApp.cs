using System.CommandLine;
using Determinant.Cli.Preview;

namespace Determinant.Cli;

/// <summary>Builds the <c>det</c> command tree and runs one command line.</summary>
internal static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("Determinant: train C# models on TorchSharp, from one machine to a cluster.");
        root.Subcommands.Add(PreviewSearchCommand.Create(output, error));

        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parsed.Errors.Count > 0)
        {
            // Let System.CommandLine print the errors and usage, but with our exit code for usage errors.
            parsed.Invoke(configuration);
            return ExitCodes.Usage;
        }
        return parsed.Invoke(configuration);
    }
}
