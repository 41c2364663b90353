using System.Globalization;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Slots;

/// <summary>Reads the output of <c>nvidia-smi --query-gpu=index,name --format=csv,noheader</c> (<c>0, NVIDIA H100 80GB HBM3</c>).</summary>
internal static class NvidiaSmiParser
{
    public static IReadOnlyList<AgentSlot> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var slots = new List<AgentSlot>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var comma = line.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || !int.TryParse(line.AsSpan(0, comma).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new FormatException($"unexpected nvidia-smi line '{line}'; expected '<index>, <name>'");
            slots.Add(new AgentSlot(index, SlotTypes.Cuda, line[(comma + 1)..].Trim()));
        }
        return slots;
    }
}
