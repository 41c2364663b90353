using System.Diagnostics;

namespace Determinant.Harness.Tests.Support;

/// <summary>A fact that runs only where /usr/bin/python3 can import safetensors, and is skipped with that reason elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PythonSafetensorsFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import safetensors.numpy"]) { RedirectStandardError = true });
            python!.WaitForExit();
            return python.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public PythonSafetensorsFactAttribute()
    {
        if (!Available.Value)
            Skip = "cross-check skipped: /usr/bin/python3 cannot import safetensors (not installed here)";
    }
}
