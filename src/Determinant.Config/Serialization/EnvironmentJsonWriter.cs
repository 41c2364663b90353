using System.Text.Json;

namespace Determinant.Config.Serialization;

/// <summary>Writes the <c>environment</c> section; images and variables always in their per-device form.</summary>
internal static class EnvironmentJsonWriter
{
    public static void Write(Utf8JsonWriter w, EnvironmentConfig environment)
    {
        w.WriteStartObject("environment");
        if (environment.Image is { } image)
        {
            w.WriteStartObject("image");
            w.WriteString("cpu", image.Cpu);
            w.WriteString("cuda", image.Cuda);
            w.WriteString("rocm", image.Rocm);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("image");
        }
        w.WriteStartObject("environment_variables");
        ConfigJsonWriter.Strings(w, "cpu", environment.EnvironmentVariables.Cpu);
        ConfigJsonWriter.Strings(w, "cuda", environment.EnvironmentVariables.Cuda);
        ConfigJsonWriter.Strings(w, "rocm", environment.EnvironmentVariables.Rocm);
        w.WriteEndObject();
        w.WriteBoolean("force_pull_image", environment.ForcePullImage);
        ConfigJsonWriter.Node(w, "registry_auth", environment.RegistryAuth);
        ConfigJsonWriter.Strings(w, "add_capabilities", environment.AddCapabilities);
        ConfigJsonWriter.Strings(w, "drop_capabilities", environment.DropCapabilities);
        w.WriteStartArray("proxy_ports");
        foreach (var port in environment.ProxyPorts)
        {
            w.WriteStartObject();
            w.WriteNumber("proxy_port", port.Port);
            w.WriteBoolean("proxy_tcp", port.ProxyTcp);
            w.WriteBoolean("unauthenticated", port.Unauthenticated);
            w.WriteBoolean("default_service_id", port.DefaultServiceId);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("ports");
        foreach (var (name, port) in environment.Ports)
            w.WriteNumber(name, port);
        w.WriteEndObject();
        ConfigJsonWriter.Node(w, "pod_spec", environment.PodSpec);
        w.WriteEndObject();
    }
}
