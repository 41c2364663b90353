using System.Text;

namespace Determinant.Testing;

/// <summary>C# programs that the compiler cannot handle within its limits: too deep for its stack, or too slow.</summary>
public static class CompilerBombs
{
    /// <summary>A class whose one method nests <paramref name="depth"/> lambdas, each invoked by the one around it.</summary>
    /// <remarks>
    /// On a 16 MiB stack Roslyn compiles 1000 levels, overflows its stack binding 1500 to 4000 (no guard of its own
    /// catches that), and from about 4500 its parser refuses the expression as too complex (CS8078). On the thread pool's
    /// default 1.5 MiB stack, where the master used to compile, 1500 levels overflow already.
    /// </remarks>
    public static string NestedLambdas(int depth = 2500)
    {
        var text = new StringBuilder("public static class Bomb\n{\n    public static int Run() => ");
        for (var i = 0; i < depth; i++)
            text.Append("new System.Func<int>(() => ");
        text.Append('0');
        for (var i = 0; i < depth; i++)
            text.Append(")()");
        return text.Append(";\n}\n").ToString();
    }

    /// <summary>
    /// Calls of an overloaded method nested <paramref name="depth"/> deep, each with a lambda: the compiler binds each
    /// lambda once per overload of every call around it, so the time grows about 1.5-fold per level (depth 13: seconds;
    /// 25: many minutes) before it reports the calls ambiguous.
    /// </summary>
    public static string OverloadedLambdas(int depth = 25)
    {
        var text = new StringBuilder("""
            public static class Slow
            {
                private static int F(System.Func<int, int> f) => 0;
                private static int F(System.Func<string, int> f) => 0;
                public static int Run() =>
            """);
        for (var i = 0; i < depth; i++)
            text.Append($"F(a{i} => ");
        text.Append('0');
        for (var i = 0; i < depth; i++)
            text.Append(')');
        return text.Append(";\n}\n").ToString();
    }

    /// <summary>A method of <paramref name="statements"/> statements: 300 000 take the compiler more than 512 MiB (measured; its warm-up needs under 128).</summary>
    public static string LongMethod(int statements = 300_000)
    {
        var text = new StringBuilder("public static class Long\n{\n    public static int Run()\n    {\n        var s = 0;\n");
        for (var i = 0; i < statements; i++)
            text.Append("        s += ").Append(i).Append(";\n");
        return text.Append("        return s;\n    }\n}\n").ToString();
    }
}
