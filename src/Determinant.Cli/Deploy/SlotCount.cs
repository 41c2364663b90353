using System.Diagnostics;

namespace Determinant.Cli.Deploy;

/// <summary>The default number of slots for the local agent: one per GPU that <c>nvidia-smi</c> lists, else one per CPU core.</summary>
internal static class SlotCount
{
    public static int Default() => Gpus() is > 0 and var gpus ? gpus : Environment.ProcessorCount;

    private static int Gpus()
    {
        try
        {
            var start = new ProcessStartInfo("nvidia-smi", "-L") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start);
            if (process is null)
                return 0;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? output.Split('\n').Count(l => l.StartsWith("GPU ", StringComparison.Ordinal)) : 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 0; // no nvidia-smi on PATH
        }
    }
}
