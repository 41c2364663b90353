using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads <c>resources</c> (REFERENCE.md §2.6). <c>slots</c> is the notebook/command field and is rejected here.</summary>
internal static class ResourcesBinder
{
    private static readonly FrozenSet<string> Keys = FrozenSet.Create(StringComparer.Ordinal,
        "slots_per_trial", "max_slots", "priority", "weight", "resource_pool", "shm_size", "devices", "is_single_node", "native_parallel",
        "memory_limit", "pids_limit");

    private static readonly FrozenSet<string> DeviceKeys = FrozenSet.Create(StringComparer.Ordinal, "host_path", "container_path", "mode");

    public static ResourcesConfig Bind(Section section)
    {
        section.RejectUnknown(Keys);
        return new ResourcesConfig
        {
            SlotsPerTrial = section.Int("slots_per_trial", min: 0) ?? 1,
            MaxSlots = section.Int("max_slots", min: 0),
            Priority = section.Int("priority", min: 1, max: 99),
            Weight = section.Number("weight", min: 0, minExclusive: true) ?? 1,
            ResourcePool = section.String("resource_pool") ?? "",
            ShmSize = ShmSize(section),
            Devices = Devices(section),
            IsSingleNode = section.Bool("is_single_node"),
            NativeParallel = section.Bool("native_parallel") ?? false,
            MemoryLimit = TaskLimitsBinder.MemoryLimit(section),
            PidsLimit = TaskLimitsBinder.PidsLimit(section),
        };
    }

    private static string? ShmSize(Section section)
    {
        var node = section.Get("shm_size");
        if (node is null)
            return null;
        var path = section.PathOf("shm_size");
        if (NodeValues.TryGetInteger(node, out _))
            return Values.Integer(node, path, section.Diagnostics, min: 1) is { } bytes ? NodeValues.Format(bytes) : null;
        if (NodeValues.TryGetString(node, out var text) && ShmSizeParser.IsValid(text))
            return text;
        section.Diagnostics.Error(path, $"must be a byte count or a size such as \"1.5 gb\" or \"512MiB\", not {NodeValues.Describe(node)}");
        return null;
    }

    private static ImmutableArray<DeviceMapping> Devices(Section section)
    {
        var list = section.Array("devices");
        if (list is null)
            return [];
        var devices = ImmutableArray.CreateBuilder<DeviceMapping>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"{section.PathOf("devices")}[{i}]";
            if (Device(list[i], path, section.Diagnostics) is { } device)
                devices.Add(device);
        }
        return devices.DrainToImmutable();
    }

    // Docker's short form "host:container[:mode]" is accepted beside the object form.
    private static DeviceMapping? Device(JsonNode? node, string path, ConfigDiagnostics diagnostics)
    {
        if (NodeValues.TryGetString(node, out var text))
        {
            var parts = text.Split(':');
            if (parts.Length is 2 or 3 && parts.All(p => p.Length > 0))
                return new DeviceMapping(parts[0], parts[1], parts.Length == 3 ? parts[2] : "mrw");
            diagnostics.Error(path, $"must be \"host_path:container_path[:mode]\", not \"{text}\"");
            return null;
        }
        var device = Section.Of(node ?? new JsonObject(), path, diagnostics);
        if (!device.IsPresent)
            return null;
        device.RejectUnknown(DeviceKeys);
        var host = device.String("host_path", required: true);
        var container = device.String("container_path", required: true);
        var mode = device.String("mode") ?? "mrw";
        return host is null || container is null ? null : new DeviceMapping(host, container, mode);
    }
}
