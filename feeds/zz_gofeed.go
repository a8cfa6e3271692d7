package feeds
import _ "github.com/mmcdole/gofeed"
