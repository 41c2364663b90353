using Determinant.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// determinant-agent --master http://master:8080 --token-file /var/lib/determinant/agent_token [--agent-id ID] [--slots N]
//                   [--work-dir DIR] [--resource-pool POOL] [--kill-grace-seconds S] [--sdk-dir DIR] [--jupyter-path DIRS]
try
{
    using var host = AgentHost.Build(args);
    // Settings are checked before the host starts, so a mistake reads as one line per setting instead of a host failure.
    _ = host.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
    await host.RunAsync().ConfigureAwait(false);
    return 0;
}
catch (OptionsValidationException e)
{
    foreach (var failure in e.Failures)
        await Console.Error.WriteLineAsync($"determinant-agent: {failure}").ConfigureAwait(false);
    return 2;
}
