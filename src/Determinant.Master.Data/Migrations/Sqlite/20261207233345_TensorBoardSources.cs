using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Determinant.Master.Data.Migrations.Sqlite
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
                type: "TEXT",
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
