using Determinant.Master.Configuration;

namespace Determinant.Master.Tests.Unit;

public sealed class MasterOptionsValidatorTests
{
    private static List<string> Failures(Action<MasterOptions> change)
    {
        var options = new MasterOptions();
        change(options);
        return new MasterOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];
    }

    [Fact]
    public void Defaults_AreValid() => Assert.Empty(Failures(_ => { }));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void ListenAddress_AcceptsIpAddresses(string address) => Assert.Empty(Failures(o => o.ListenAddress = address));

    [Fact]
    public void ListenAddress_IsRefused_WhenItIsAHostName() =>
        Assert.Equal(["listen_address: 'localhost' must be an IP address such as 127.0.0.1, 0.0.0.0 or ::"], Failures(o => o.ListenAddress = "localhost"));

    [Fact]
    public void LoginLimits_AreRefused_BelowOne()
    {
        var failures = Failures(o =>
        {
            o.LoginFailuresPerAccount = 0;
            o.LoginFailuresPerAddress = 0;
            o.LoginFailureWindowSeconds = 0;
        });

        Assert.Equal(
        [
            "login_failures_per_account: 0 must be at least 1",
            "login_failures_per_address: 0 must be at least 1",
            "login_failure_window_seconds: 0 must be between 1 and 86400",
        ], failures);
    }

    [Fact]
    public void ModelCompileLimits_AreRefused_OutsideTheirBounds()
    {
        var failures = Failures(o =>
        {
            o.ModelCompileStackMib = 0;
            o.ModelCompileTimeoutSeconds = 3601;
            o.ModelCompileMemoryMib = 255;
        });

        Assert.Equal(
        [
            "model_compile_stack_mib: 0 must be between 1 and 1024",
            "model_compile_timeout_seconds: 3601 must be between 1 and 3600",
            "model_compile_memory_mib: 255 must be between 256 and 65536",
        ], failures);
    }

    [Fact]
    public void InitialPassword_IsRefused_UnderEightCharacters()
    {
        var options = new MasterOptions { InitialPassword = "seven-7" };

        var result = new Auth.InitialPasswordValidator().Validate(null, options);

        Assert.Equal(["initial_password: must be at least 8 characters long; leave it unset to have one generated"], result.Failures);
        Assert.True(new Auth.InitialPasswordValidator().Validate(null, new MasterOptions { InitialPassword = "eight-88" }).Succeeded);
        Assert.True(new Auth.InitialPasswordValidator().Validate(null, new MasterOptions()).Succeeded);
    }
}
