using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Determinant.Master.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class TensorBoardSources : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourcesJson",
                table: "tasks",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SourcesJson",
                table: "tasks");
        }
    }
}
