using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Determinant.Master.Tests.Integration;

public sealed class LoggingDefaultsTests
{
    private const string SqlCommands = "Microsoft.EntityFrameworkCore.Database.Command";
    private const string Requests = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Fact]
    public async Task RequestsAndSqlCommands_LogWarningsOnly_TheMastersOwnInformation_AndAFlagOverrides()
    {
        var dataDir = Directory.CreateTempSubdirectory("det-master-").FullName;
        try
        {
            await using (var app = Hosting.MasterApp.Build(["--data-dir", dataDir, "--initial-password", "logging-test-pw"]))
            {
                var loggers = app.Services.GetRequiredService<ILoggerFactory>();
                Assert.False(loggers.CreateLogger(SqlCommands).IsEnabled(LogLevel.Information));
                Assert.True(loggers.CreateLogger(SqlCommands).IsEnabled(LogLevel.Warning));
                Assert.False(loggers.CreateLogger(Requests).IsEnabled(LogLevel.Information));
                Assert.True(loggers.CreateLogger("Determinant.Master.Experiments.ExperimentCreation").IsEnabled(LogLevel.Information));
                Assert.True(loggers.CreateLogger("Microsoft.EntityFrameworkCore.Migrations").IsEnabled(LogLevel.Information));
            }
            await using (var app = Hosting.MasterApp.Build(["--data-dir", dataDir, "--initial-password", "logging-test-pw",
                $"--Logging:LogLevel:{SqlCommands}", "Information"]))
            {
                Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(SqlCommands).IsEnabled(LogLevel.Information));
            }
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
