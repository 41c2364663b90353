namespace Determinant.Client.Tests;

public sealed class ApiProblemTests
{
    [Fact]
    public void Parse_ReadsTitleDetailAndErrorLines_FromAProblemDocument()
    {
        var problem = ApiProblem.Parse("""{"title":"Invalid","detail":"invalid experiment configuration","status":400,"errors":["<config>.a: x","<config>.b: y"]}""");

        Assert.Equal("Invalid", problem.Title);
        Assert.Equal("invalid experiment configuration", problem.Detail);
        Assert.Equal(["<config>.a: x", "<config>.b: y"], problem.Errors);
    }

    [Fact]
    public void Parse_FlattensValidationMaps_IntoFieldColonMessageLines()
    {
        var problem = ApiProblem.Parse("""{"title":"One or more validation errors occurred.","errors":{"name":["is required","is too short"]}}""");

        Assert.Equal(["name: is required", "name: is too short"], problem.Errors);
    }

    [Fact]
    public void Parse_KeepsTheText_WhenTheBodyIsNotJson()
    {
        var problem = ApiProblem.Parse("Bad Gateway");

        Assert.Null(problem.Title);
        Assert.Equal("Bad Gateway", problem.Detail);
        Assert.Empty(problem.Errors);
    }
}
