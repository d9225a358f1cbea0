"""Print the SDL of the schema: `python -m schema.export > schema.graphql`."""

import sys

from schema import schema

if __name__ == "__main__":
    sys.stdout.write(schema.as_str() + "\n")
