// docs/api/openapi.yaml documents every route the server has, and nothing it doesn't.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

#include "tests/app_fixture.h"

namespace civicdesk::testing {
namespace {

class OpenApiTest : public AppTest {};

TEST_P(OpenApiTest, EveryRouteIsDocumentedAndEveryDocumentedRouteExists) {
  YAML::Node doc = YAML::LoadFile(source_dir() + "/docs/api/openapi.yaml");
  std::set<std::string> documented;
  for (const auto& path : doc["paths"]) {
    for (const auto& op : path.second) {
      std::string method = op.first.as<std::string>();
      if (method == "parameters") continue;
      std::transform(method.begin(), method.end(), method.begin(), ::toupper);
      documented.insert(method + " " + path.first.as<std::string>());
    }
  }
  std::set<std::string> served;
  for (const auto& r : api_->router().routes()) served.insert(r.method + " " + r.pattern);
  for (const auto& s : served) EXPECT_TRUE(documented.contains(s)) << "undocumented: " << s;
  for (const auto& d : documented) EXPECT_TRUE(served.contains(d)) << "documented, not served: " << d;
}

// The public routes say so in the document (security: []), and no other route does.
TEST_P(OpenApiTest, PublicRoutesMatchTheDocument) {
  YAML::Node doc = YAML::LoadFile(source_dir() + "/docs/api/openapi.yaml");
  for (const auto& r : api_->router().routes()) {
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    YAML::Node op = doc["paths"][r.pattern][method];
    ASSERT_TRUE(op) << r.pattern;
    bool doc_public = op["security"] && op["security"].size() == 0;
    EXPECT_EQ(doc_public, r.access == http::Access::kPublic) << r.method << " " << r.pattern;
  }
}

CIVICDESK_INSTANTIATE_FOR_BACKENDS(OpenApiTest);

}  // namespace
}  // namespace civicdesk::testing
