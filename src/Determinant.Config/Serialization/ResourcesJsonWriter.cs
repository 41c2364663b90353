using System.Text.Json;

namespace Determinant.Config.Serialization;

/// <summary>Writes the <c>resources</c> section.</summary>
internal static class ResourcesJsonWriter
{
    public static void Write(Utf8JsonWriter w, ResourcesConfig resources)
    {
        w.WriteStartObject("resources");
        w.WriteNumber("slots_per_trial", resources.SlotsPerTrial);
        ConfigJsonWriter.NullableNumber(w, "max_slots", resources.MaxSlots);
        ConfigJsonWriter.NullableNumber(w, "priority", resources.Priority);
        w.WriteNumber("weight", resources.Weight);
        w.WriteString("resource_pool", resources.ResourcePool);
        // A byte count goes back out as a number, as it was written.
        if (resources.ShmSize is { } shm && long.TryParse(shm, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var bytes))
            w.WriteNumber("shm_size", bytes);
        else
            w.WriteString("shm_size", resources.ShmSize);
        w.WriteStartArray("devices");
        foreach (var device in resources.Devices)
        {
            w.WriteStartObject();
            w.WriteString("host_path", device.HostPath);
            w.WriteString("container_path", device.ContainerPath);
            w.WriteString("mode", device.Mode);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (resources.IsSingleNode is { } singleNode)
            w.WriteBoolean("is_single_node", singleNode);
        else
            w.WriteNull("is_single_node");
        w.WriteBoolean("native_parallel", resources.NativeParallel);
        ConfigJsonWriter.NullableNumber(w, "memory_limit", resources.MemoryLimit);
        ConfigJsonWriter.NullableNumber(w, "pids_limit", resources.PidsLimit);
        w.WriteEndObject();
    }
}
