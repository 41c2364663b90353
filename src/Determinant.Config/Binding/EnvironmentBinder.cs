using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads <c>environment</c> (REFERENCE.md §2.7).</summary>
internal static class EnvironmentBinder
{
    private static readonly FrozenSet<string> Keys = FrozenSet.Create(StringComparer.Ordinal,
        "image", "environment_variables", "force_pull_image", "registry_auth", "add_capabilities", "drop_capabilities",
        "proxy_ports", "ports", "pod_spec");

    private static readonly FrozenSet<string> DeviceTypes = FrozenSet.Create(StringComparer.Ordinal, "cpu", "cuda", "rocm");
    private static readonly FrozenSet<string> ProxyPortKeys = FrozenSet.Create(StringComparer.Ordinal, "proxy_port", "proxy_tcp", "unauthenticated", "default_service_id");

    public static EnvironmentConfig Bind(Section section)
    {
        section.RejectUnknown(Keys);
        return new EnvironmentConfig
        {
            Image = Image(section),
            EnvironmentVariables = Variables(section),
            ForcePullImage = section.Bool("force_pull_image") ?? false,
            RegistryAuth = section.RawObject("registry_auth"),
            AddCapabilities = section.Strings("add_capabilities") ?? [],
            DropCapabilities = section.Strings("drop_capabilities") ?? [],
            ProxyPorts = ProxyPorts(section),
            Ports = Ports(section),
            PodSpec = section.RawObject("pod_spec"),
        };
    }

    private static EnvironmentImage? Image(Section section)
    {
        if (section.Get("image") is JsonValue)
            return section.String("image") is { } image ? new EnvironmentImage(image, image, image) : null;
        var perDevice = section.Object("image");
        if (!perDevice.IsPresent)
            return null;
        perDevice.RejectUnknown(DeviceTypes);
        return new EnvironmentImage(perDevice.String("cpu"), perDevice.String("cuda"), perDevice.String("rocm"));
    }

    private static EnvironmentVariables Variables(Section section)
    {
        var node = section.Get("environment_variables");
        if (node is JsonArray)
        {
            var all = Checked(section, "environment_variables");
            return new EnvironmentVariables { Cpu = all, Cuda = all, Rocm = all };
        }
        var perDevice = section.Object("environment_variables");
        if (!perDevice.IsPresent)
            return EnvironmentVariables.Empty;
        perDevice.RejectUnknown(DeviceTypes);
        return new EnvironmentVariables
        {
            Cpu = Checked(perDevice, "cpu"),
            Cuda = Checked(perDevice, "cuda"),
            Rocm = Checked(perDevice, "rocm"),
        };
    }

    // Platform variables (DET_*) tell the trial who it is; letting a config override them would break the harness.
    private static ImmutableArray<string> Checked(Section section, string key)
    {
        var entries = section.Strings(key) ?? [];
        for (var i = 0; i < entries.Length; i++)
        {
            var name = entries[i].Split('=', 2)[0];
            if (name.StartsWith("DET_", StringComparison.Ordinal))
                section.Diagnostics.Error($"{section.PathOf(key)}[{i}]", $"variable {name} is reserved: names starting with DET_ are set by the platform");
        }
        return entries;
    }

    private static ImmutableArray<ProxyPort> ProxyPorts(Section section)
    {
        var list = section.Array("proxy_ports");
        if (list is null)
            return [];
        var ports = ImmutableArray.CreateBuilder<ProxyPort>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var port = Section.Of(list[i] ?? new JsonObject(), $"{section.PathOf("proxy_ports")}[{i}]", section.Diagnostics);
            if (!port.IsPresent)
                continue;
            port.RejectUnknown(ProxyPortKeys);
            var number = port.Int("proxy_port", min: 1, max: 65535, required: true);
            var tcp = port.Bool("proxy_tcp") ?? false;
            var open = port.Bool("unauthenticated") ?? false;
            var defaultId = port.Bool("default_service_id") ?? false;
            if (number is not null)
                ports.Add(new ProxyPort(number.Value, tcp, open, defaultId));
        }
        return ports.DrainToImmutable();
    }

    private static ImmutableSortedDictionary<string, int> Ports(Section section)
    {
        var ports = ImmutableSortedDictionary.CreateBuilder<string, int>(StringComparer.Ordinal);
        var map = section.Object("ports");
        if (map.Node is null)
            return ports.ToImmutable();
        foreach (var (name, _) in map.Node)
        {
            if (map.Int(name, min: 1, max: 65535) is { } port)
                ports[name] = port;
        }
        return ports.ToImmutable();
    }
}
