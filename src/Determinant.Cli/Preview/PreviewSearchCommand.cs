using System.CommandLine;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Searchers;

namespace Determinant.Cli.Preview;

/// <summary><c>det preview-search CONFIG [--json]</c>: validates a config and shows the trials its search will create, with no master.</summary>
internal static class PreviewSearchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var configArgument = new Argument<FileInfo>("config") { Description = "The experiment config (YAML)." };
        var jsonOption = new Option<bool>("--json") { Description = "Print only the plan as JSON." };
        var command = new Command("preview-search", "Validate an experiment config and show the trials its search will create.")
        {
            configArgument,
            jsonOption,
        };
        command.SetAction(parsed => Run(parsed.GetRequiredValue(configArgument), parsed.GetValue(jsonOption), output, error));
        return command;
    }

    private static int Run(FileInfo file, bool json, TextWriter output, TextWriter error)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(file.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"det: cannot read config file '{file}': {e.Message}");
            return ExitCodes.Usage;
        }

        var loaded = ExperimentConfigLoader.LoadForPreview(yaml);
        if (!loaded.IsValid || loaded.Config is null)
        {
            foreach (var problem in loaded.Errors)
                error.WriteLine(problem.ToString());
            return ExitCodes.InvalidConfig;
        }
        foreach (var warning in loaded.Warnings)
            error.WriteLine($"warning: {warning}");

        var plan = SearchPreview.Run(loaded.Config.Searcher, loaded.Config.Hyperparameters);
        if (json)
        {
            output.WriteLine(SearchPlanText.Json(plan));
            return ExitCodes.Success;
        }

        var searcher = JsonNode.Parse(ExperimentConfigJson.Serialize(loaded.Config))!["searcher"]!.AsObject();
        output.Write(SearchPlanText.Table(plan, searcher));
        return ExitCodes.Success;
    }
}
