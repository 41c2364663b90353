using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config.Binding;

/// <summary>Reads <c>bind_mounts</c> (REFERENCE.md §2.7).</summary>
internal static class BindMountBinder
{
    private static readonly FrozenSet<string> Keys = FrozenSet.Create(StringComparer.Ordinal, "host_path", "container_path", "read_only", "propagation");

    private static readonly string[] Propagations = ["rprivate", "private", "rshared", "shared", "rslave", "slave"];

    public static ImmutableArray<BindMount> Bind(JsonArray? list, string path, ConfigDiagnostics diagnostics)
    {
        if (list is null)
            return [];
        var mounts = ImmutableArray.CreateBuilder<BindMount>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var mount = Section.Of(list[i] ?? new JsonObject(), $"{path}[{i}]", diagnostics);
            if (mount.IsPresent && BindOne(mount) is { } bound)
                mounts.Add(bound);
        }
        return mounts.DrainToImmutable();
    }

    private static BindMount? BindOne(Section mount)
    {
        mount.RejectUnknown(Keys);
        var host = mount.String("host_path", required: true);
        var container = mount.String("container_path", required: true);
        var readOnly = mount.Bool("read_only") ?? false;
        var propagation = Propagation(mount);
        if (host is not null && !PosixPath.IsAbsolute(host))
        {
            mount.Diagnostics.Error(mount.PathOf("host_path"), $"host_path must be an absolute path, not \"{host}\"");
            host = null;
        }
        if (container is ".")
        {
            mount.Diagnostics.Error(mount.PathOf("container_path"), "container_path must not be \".\" (the working directory)");
            container = null;
        }
        return host is null || container is null ? null : new BindMount(host, container, readOnly, propagation);
    }

    private static string Propagation(Section mount)
    {
        var text = mount.String("propagation");
        if (text is null)
            return "rprivate";
        if (Propagations.Contains(text))
            return text;
        mount.Diagnostics.Error(mount.PathOf("propagation"), $"must be one of {NodeValues.QuoteAll(Propagations)}, not \"{text}\"");
        return "rprivate";
    }
}
