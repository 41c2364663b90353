using Microsoft.Extensions.Options;

namespace Determinant.Master.Tests.Integration;

public sealed class ListenAddressTests
{
    [Fact]
    public async Task Master_RefusesToStart_NamingTheKey_WhenListenAddressIsNoIpAddress()
    {
        var dataDir = Directory.CreateTempSubdirectory("det-master-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => MasterHost.StartAsync(dataDir, null, "--listen-address", "localhost"));

            Assert.Contains("listen_address: 'localhost' must be an IP address", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }
}
