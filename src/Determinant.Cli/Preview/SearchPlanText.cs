using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Cli.Output;
using Determinant.Config;
using Determinant.Searchers;

namespace Determinant.Cli.Preview;

/// <summary>The two renderings of a search plan: the human table of REFERENCE.md §3.9 and the <c>--json</c> document.</summary>
internal static class SearchPlanText
{
    public static string Table(SearchPlan plan, JsonObject searcher)
    {
        var table = new PrestoTable(["Trials", "Breakdown"], rightAligned: [true, false]);
        foreach (var group in plan.Groups)
            table.Add(group.Trials.ToString(CultureInfo.InvariantCulture), Breakdown(plan.Unit, group.Lengths));

        return new StringBuilder()
            .Append("Using search configuration:\n")
            .Append(YamlText.Write(new JsonObject { ["searcher"] = searcher.DeepClone() }))
            .Append('\n')
            .Append(CultureInfo.InvariantCulture, $"This search will create a total of {plan.TotalTrials} trial(s).\n")
            .Append(table)
            .ToString();
    }

    public static string Json(SearchPlan plan)
    {
        var groups = new JsonArray();
        foreach (var group in plan.Groups)
            groups.Add(new JsonObject { ["trials"] = group.Trials, ["lengths"] = new JsonArray(group.Lengths.Select(l => (JsonNode)l).ToArray()) });
        var document = new JsonObject
        {
            ["unit"] = UnitName(plan.Unit),
            ["total_trials"] = plan.TotalTrials,
            ["groups"] = groups,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>"1 x train for 1250, 1 x train for 5000": one entry per successive target, with its unit when it has one.</summary>
    private static string Breakdown(LengthUnit unit, IReadOnlyList<ulong> lengths) =>
        string.Join(", ", lengths.Select(length => $"1 x {Train(unit, length)}"));

    private static string Train(LengthUnit unit, ulong n) => unit switch
    {
        LengthUnit.Batches => $"train {n} {(n == 1 ? "batch" : "batches")}",
        LengthUnit.Records => $"train {n} {(n == 1 ? "record" : "records")}",
        LengthUnit.Epochs => $"train {n} {(n == 1 ? "epoch" : "epochs")}",
        _ => $"train for {n}",
    };

    private static string? UnitName(LengthUnit unit) => unit switch
    {
        LengthUnit.Batches => "batches",
        LengthUnit.Records => "records",
        LengthUnit.Epochs => "epochs",
        _ => null,
    };
}
