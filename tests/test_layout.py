"""The layout pass prints long lines exactly as the pinned black does.

Every case is a hand-written line (or small file) too long for 88 columns, in a shape a
template might emit; each is compared with `black.format_str` of the same text.
"""

from __future__ import annotations

import black
import pytest

from generator.layout.replay import layout

MODE = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=88)

L = "a_rather_long_name_for_padding"
S = '"' + "a description that is long enough to matter here" + '"'

STATEMENTS = [
    # calls: keyword, positional, star args, nested
    f"result = call_something({L}, {L}, keyword={S}, other=12345)",
    f"result = call_something(*{L}, **{L}, keyword={S}, other_keyword=[1, 2, 3])",
    "response = self._client.send(_core.Request(method=\"POST\", path=\"/x/{id}\", form={\"user_email\": user_email}, content_type=\"application/x-www-form-urlencoded\"))",
    "return cast(models.OAuthTokenResponse, _core.handle(response, success={\"200\": models.OAuthTokenResponse}, errors={\"422\": models.HTTPValidationError}))",
    f"value = outer(inner({L}, {L}), inner({L}, another_inner({L}, {L}, {L})))",
    f"call_something_without_assignment({L}, {L}, keyword={S})",
    "await self.implementation.some_operation_name(first_argument=first_argument, second=second_argument)",
    "return await implementation.actions_get_actions_cache_retention_limit_for_enterprise(enterprise=enterprise)",
    f"x = {L}.method_one({L}).method_two({L}).method_three({L}).method_four()",
    # subscripts, annotations, unions
    f"    name: str | MISSING | None = Field(default=MISSING, description={S}, alias=\"x\")",
    f"    name: Annotated[list[dict[str, {L}]], Field(min_length=1, max_length=10)] = Field(default=MISSING)",
    f"    field_with_a_long_name: {L} | {L} | {L} | None = None",
    f"    field_with_a_long_name: {L} | {L} | {L} | {L}",
    f"Alias: TypeAlias = Annotated[{L} | {L}, Field(discriminator=\"kind\", description={S})]",
    "Alias: TypeAlias = Literal[\"one\", \"two\", \"three\", \"four\", \"five\", \"six\", \"seven\", \"eight\"]",
    f"Alias: TypeAlias = list[{L}] | dict[str, {L}] | {L} | {L}",
    f"value = mapping[{L}][{L}][\"a key that is long enough to matter for sure\"]",
    # signatures
    f"def function_name(self, *, first: {L}, second: int = 5, third: str | None = None) -> ReturnType:",
    f"    async def operation(self, *, body: Annotated[models.{L}, Form()], x: int = 1) -> models.{L}:",
    "    async def get_token(body: Annotated[models.Body_get_token_api_v1_oauth2_token_post, Form()]) -> models.OAuthTokenResponse:",
    "    async def op(self, *, enterprise: str) -> models.ActionsCacheRetentionLimitForEnterpriseAndMore:",
    f"def f(a: {L} | {L} | None = None, b: dict[str, {L}] | None = None) -> None:",
    f"def f(*args: {L}, **kwargs: {L}) -> dict[str, list[tuple[int, str, bytes, float]]]:",
    "def function_with_a_name_long_enough_to_fill() -> dict[str, list[tuple[int, str, bytes]]]:",
    f"def f(x: {L}, /, y: {L}, *, z: {L} = ...) -> None:",
    f"class SomeModelName({L}, {L}, metaclass=SomeMeta, extra_keyword=True):",
    # decorators
    "@routes.post(\"/api/v1/oauth2/token\", status_code=200, response_model=models.OAuthTokenResponse, responses={422: {\"model\": models.HTTPValidationError, \"description\": \"Validation Error\"}}, dependencies=[Depends(guard(((\"BearerAuth\",),)))])",
    # collection literals
    f"CONSTANT: dict[str, Any] = {{\"key\": {{\"type\": \"http\", \"description\": {S}, \"scheme\": \"bearer\"}}}}",
    f"CONSTANT = [{L}, {L}, {L}, {L}]",
    f"CONSTANT = ({L}, {L}, {L}, {L})",
    f"CONSTANT = {{{L}, {L}, {L}, {L}}}",
    f"CONSTANT = [[{L}, {L}], [{L}, {L}], [{L}], []]",
    f"CONSTANT = {{\"a\": [1, 2, 3], \"b\": ({L},), \"c\": {{}}, \"d\": {{\"e\": [{L}, {L}]}}}}",
    f"security = (((\"BearerAuth\",), (\"ApiKey\", \"Other\")), ((\"{L}\",),), ((\"{L}\", \"{L}\"),))",
    f"x = f(a)[{L}]({L}, {L}, {L})",
    # statements
    f"return {L}, {L}, {L}",
    f"return {L} + {L} * {L} - {L}",
    f"assert isinstance({L}, {L}), f\"unexpected value for the field: {{{L}!r}}\"",
    f"raise SomeError(f\"a message that is long enough to be split here {{{L}}}\", code=42)",
    f"raise SomeError({L}) from {L}",
    f"if {L} and {L} or not {L}:",
    f"if {L} is not None and {L} not in {L}:",
    f"while {L} < {L} <= {L}:",
    f"for {L}, {L} in {L}.items():",
    f"del {L}[0], {L}[1], {L}[2]",
    f"x += {L} * {L} + {L}",
    f"yield {L}({L}, {L}, {L})",
    f"x = yield {L}({L}, {L})",
    f"x = await {L}({L}, {L}, {L})",
    f"from some.package.module import {L}, {L}, {L}",
    # lambdas, ternaries, comprehensions
    f"handler = lambda request, response: {L}(request, response, {L}, {L})",
    f"value = {L} if {L} is not None else {L}",
    f"value = call({L} if {L} else {L}, other={L} if {L} else None)",
    f"value = [item.{L} for item in {L} if item.{L} is not None]",
    f"value = {{key: value for key, value in {L}.items() if key not in {L}}}",
    f"value = any({L}(item) for item in {L} if item is not None and item)",
    f"value = {{\"key\": {L} if {L} else {L}, \"other\": {L}}}",
    # strings that cannot be split
    f"description = \"{'x' * 100}\"",
    f"call(description=\"{'x' * 100}\")",
    f"value = \"abc\" \"{'d' * 60}\" \"{'e' * 30}\"",
    f"value = {L}({L})({L})({L})",
    f"value = {L}.{L}.{L}.{L}",
    f"value = not {L} == {L} != {L}",
    f"value = -{L} * 2 + ~{L} | {L} & {L} ^ {L} << 2 // {L} % 3",
    f"value = {L}[1:2, ::3] + {L}[{L}:] + {L}[:{L}]",
    f"x = y = z = {L}({L}, {L}, {L})",
    f"value: {L}[int] = {L}",
    f"global_name_for_padding_a_lot, other_name_for_padding_too = {L}({L}), {L}",
]

CASES = [pytest.param(s + "\n", id=f"s{i}") for i, s in enumerate(STATEMENTS)]


#: Overload stubs (`def ...: ...` on one line): the stub body stays after the signature,
#: behind a parenthesized return annotation.
STUBS = [
    f"def stub(self, *, {L}: int, {L}_2: str | None = None) -> {L}.ResponseA | {L}.ResponseB: ...",
    f"async def stub(self) -> {L}.ResponseNumberOne | {L}.ResponseNumberTwo | {L}.Three: ...",
    f"def stub(self, *, a: int) -> {L}: ...",
]


@pytest.mark.parametrize("stub", STUBS)
def test_overload_stub_matches_black(stub: str) -> None:
    source = f"class C:\n    @overload\n    {stub}\n"
    assert layout(source) == black.format_str(source, mode=MODE)


def _block(line: str) -> str:
    """Put a line into the blocks it needs to be valid Python at its indentation."""
    text = line.rstrip("\n")
    code = text.lstrip()
    depth = (len(text) - len(code)) // 4
    compound = code.startswith(("def ", "async def ", "class ", "@")) or code.endswith(":")
    if not compound:
        depth = max(depth, 1)
    head = "".join("    " * d + f"class C{d}:\n" for d in range(depth - (not compound)))
    if not compound:
        head += "    " * (depth - 1) + "async def g():\n"
    body = "    " * depth + code + "\n"
    if code.startswith("@"):
        body += "    " * depth + "def f():\n" + "    " * (depth + 1) + "pass\n"
    elif compound:
        body += "    " * (depth + 1) + "pass\n"
    return head + body


@pytest.mark.parametrize("line", CASES)
def test_long_line_matches_black(line: str) -> None:
    source = _block(line)
    expected = black.format_str(source, mode=MODE)
    assert layout(source) == expected


@pytest.mark.parametrize("line", CASES)
def test_long_line_inside_a_deeper_block_matches_black(line: str) -> None:
    source = _block("        " + line.lstrip() if not line.startswith(" ") else "    " + line)
    expected = black.format_str(source, mode=MODE)
    assert layout(source) == expected


def test_a_long_parameter_after_an_exploded_one_is_laid_out_as_a_parameter() -> None:
    """The layout pass finds the bracket an element line is in across earlier parameters
    that span several lines (their own brackets closed), so a long union annotation is
    parenthesized as black does for parameters."""
    source = (
        "class C:\n    def render(\n        self,\n        *,\n        select: (\n"
        "            Annotated[list[Literal[\"a\" * 30, \"b\" * 40]], some_check] | None | MISSING\n"
        "        ) = MISSING,\n"
        "        wait_until: Literal[\"requestsfinished\", \"mostrequestsfinished\", \"loaded\", "
        "\"domloaded\"] | MISSING = MISSING,\n"
        "        width: int | MISSING = MISSING,\n    ) -> None:\n        pass\n"
    )
    out = layout(source)
    assert "        wait_until: (\n            Literal[" in out
    assert black.format_str(out, mode=MODE) == out
