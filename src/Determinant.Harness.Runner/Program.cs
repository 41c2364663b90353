using System.Runtime.InteropServices;
using Determinant.Harness;
using Determinant.Harness.Runner;
using Determinant.ModelDefinitions;

// determinant-harness: run by an agent in the task's working directory (DET_WORKDIR) with the trial's environment
// (REFERENCE.md §7.1). Exit codes are the harness's: 0 done or stopped, 1 the trial failed, 2 unusable environment.
const int InvalidEnvironment = 2;
// Started ahead of need by the agent (Standby): wait for the task's environment, or end quietly when not needed.
if (Standby.Requested && !await Standby.WaitForTaskAsync().ConfigureAwait(false))
    return 0;
var workDirectory = Environment.GetEnvironmentVariable("DET_WORKDIR") is { Length: > 0 } dir ? dir : Environment.CurrentDirectory;
Type trialType;
try
{
    var model = CompiledModel.Read(workDirectory);
    trialType = TrialAssemblyLoader.LoadTrialType(model.AssemblyPath, model.TrialTypeName);
}
catch (Exception e) when (e is IOException or InvalidDataException or BadImageFormatException or TypeLoadException or System.Text.Json.JsonException)
{
    await Console.Error.WriteLineAsync($"determinant-harness: {e.Message}").ConfigureAwait(false);
    return InvalidEnvironment;
}

using var stop = new CancellationTokenSource();
// SIGTERM (a kill from the agent) stops the run; the agent sends SIGKILL if it does not end in time.
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
try
{
    return await HarnessMain.RunAsync(trialType.Assembly, trialType.FullName!, stop.Token).ConfigureAwait(false);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    // Killed, not failed: say so in one line and exit as a process ended by SIGTERM would (128 + 15).
    await Console.Error.WriteLineAsync("determinant-harness: stopped by SIGTERM before the trial finished").ConfigureAwait(false);
    return 143;
}
